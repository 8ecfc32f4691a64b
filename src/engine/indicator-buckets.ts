import type { Series } from '../backends/backend.js';
import type { BucketAppend } from '../ledger/bucket-ledger.js';
import type { BucketRange } from './bucket-plan.js';
import type { Indicator, ValueUnit } from '../slo/model.js';

/** An indicator query returned several series: it must aggregate to one. */
export class IndicatorShapeError extends Error {
  constructor(which: string, count: number, labels: string) {
    super(`the ${which} query returned ${count} series (first: ${labels}); it must return one: wrap it in sum()`);
    this.name = 'IndicatorShapeError';
  }
}

/** Points of a query result keyed by bucket end; absent means no data. */
export function valuesByTime(series: readonly Series[], which: string): Map<number, number> {
  if (series.length > 1) throw new IndicatorShapeError(which, series.length, JSON.stringify(series[0]?.labels ?? {}));
  const values = new Map<number, number>();
  for (const point of series[0]?.points ?? []) values.set(Math.round(point.t), point.value);
  return values;
}

function toEvents(value: number | undefined, unit: ValueUnit, width: number): number | null {
  if (value === undefined || !Number.isFinite(value)) return null;
  return unit === 'per_second' ? value * width : value;
}

/**
 * Buckets for a range from the numerator and total query results. The total decides whether a bucket has
 * data: an error series that does not exist while requests do means no errors (Prometheus has no series
 * for a label value never seen), whereas a missing good series cannot be read as zero successes.
 */
export function bucketsFromResults(
  indicator: Indicator,
  range: BucketRange,
  numerator: ReadonlyMap<number, number>,
  total: ReadonlyMap<number, number>,
): BucketAppend[] {
  const buckets: BucketAppend[] = [];
  for (let end = range.start; end <= range.end; end += range.width) {
    const totalEvents = toEvents(total.get(end), indicator.total.unit, range.width);
    let numeratorEvents = toEvents(numerator.get(end), indicator.numerator.unit, range.width);
    if (numeratorEvents === null && indicator.numeratorKind === 'errors' && totalEvents !== null) numeratorEvents = 0;
    if (totalEvents === null || numeratorEvents === null) {
      buckets.push({ end, width: range.width, errors: null, total: null });
      continue;
    }
    const errors = indicator.numeratorKind === 'errors' ? numeratorEvents : totalEvents - numeratorEvents;
    // Extrapolation can make errors exceed total or good exceed total by a hair; events cannot.
    const clampedTotal = Math.max(totalEvents, 0);
    buckets.push({ end, width: range.width, errors: Math.min(Math.max(errors, 0), clampedTotal), total: clampedTotal });
  }
  return buckets;
}

/**
 * Trailing buckets without data may still be on their way (scrape or push lag). They stay unrecorded,
 * to be asked for again next cycle, until they are older than `lateness`.
 */
export function settledBuckets(buckets: readonly BucketAppend[], target: number, lateness: number): BucketAppend[] {
  let keep = buckets.length;
  while (keep > 0) {
    const bucket = buckets[keep - 1]!;
    if (bucket.total !== null || bucket.end <= target - lateness) break;
    keep -= 1;
  }
  return buckets.slice(0, keep);
}
