import type { MetricBackend } from '../backends/backend.js';
import type { EventCounts } from '../core/error-ratio-comparison.js';
import { bucketMethod, exactBuckets } from '../engine/counter-buckets.js';
import { bucketsFromResults, valuesByWindow } from '../engine/indicator-buckets.js';
import { windowsQuery } from '../engine/window-query.js';
import type { BucketAppend } from '../ledger/bucket-ledger.js';
import type { Slo } from '../slo/model.js';

/** Events of an SLO in (from, to], both multiples of `width`; `covered` says how much of it had data. */
export interface RangeCounts extends EventCounts {
  /** Seconds of the range whose buckets had data. */
  covered: number;
  exact: boolean;
}

/**
 * The buckets of one SLO ending in (from, to], with the daemon's own method: exact counter increments from raw
 * samples where the backend has them and the queries allow it, the backend's `increase()` per bucket otherwise.
 */
export async function bucketsBetween(slo: Slo, backend: MetricBackend, from: number, to: number, width: number, signal?: AbortSignal): Promise<{ buckets: BucketAppend[]; exact: boolean }> {
  if (to <= from) return { buckets: [], exact: true };
  const range = { start: from + width, end: to, width };
  const method = bucketMethod(slo.indicator, backend, width);
  if (method.exact) return { buckets: (await exactBuckets(slo.indicator, backend, range, signal)).buckets, exact: true };
  const query = (template: string) => backend.queryRange({ expr: windowsQuery(template, [width]), start: range.start, end: range.end, step: width }, signal);
  const [numerator, total] = await Promise.all([query(slo.indicator.numerator.template), query(slo.indicator.total.template)]);
  const values = { numerator: valuesByWindow(numerator, slo.indicator.numeratorKind).get(width), total: valuesByWindow(total, 'total').get(width) };
  return { buckets: bucketsFromResults(slo.indicator, range, values.numerator, values.total), exact: false };
}

/** The events of the buckets that end in (from, to]. */
export function countsIn(buckets: readonly BucketAppend[], from: number, to: number): Omit<RangeCounts, 'exact'> {
  let errors = 0;
  let total = 0;
  let covered = 0;
  for (const bucket of buckets) {
    if (bucket.end <= from || bucket.end > to || bucket.errors === null || bucket.total === null) continue;
    errors += bucket.errors;
    total += bucket.total;
    covered += bucket.width;
  }
  return { errors, total, covered };
}
