import type { Series } from '../backends/backend.js';
import type { WindowCounts } from '../core/burn-rate.js';
import type { BucketAppend } from '../ledger/bucket-ledger.js';
import type { ValueUnit } from '../promql/analyze-template.js';
import type { Indicator } from '../slo/model.js';
import type { QueryRange } from './bucket-plan.js';
import { windowLabel } from './window-query.js';

/** An indicator query returned several series for one window: it must aggregate to one. */
export class IndicatorShapeError extends Error {
  constructor(which: string, labels: string) {
    super(`the ${which} query returned more than one series (one has ${labels}); it must return one: wrap it in sum()`);
    this.name = 'IndicatorShapeError';
  }
}

/** Values of a combined windows query: window (seconds) → time → value. Absent means no data. */
export type WindowValues = Map<number, Map<number, number>>;

export function valuesByWindow(series: readonly Series[], which: string): WindowValues {
  const byWindow: WindowValues = new Map();
  for (const one of series) {
    const window = Number(one.labels[windowLabel]);
    if (byWindow.has(window)) throw new IndicatorShapeError(which, JSON.stringify(one.labels));
    byWindow.set(window, new Map(one.points.map((point) => [Math.round(point.t), point.value])));
  }
  return byWindow;
}

function toEvents(value: number | undefined, unit: ValueUnit, width: number): number | null {
  if (value === undefined || !Number.isFinite(value)) return null;
  return unit === 'per_second' ? value * width : value;
}

/**
 * Error and total events over `width` seconds from the two queries' values, or null without data. The total
 * decides whether there is data: an error series that does not exist while requests do means no errors
 * (Prometheus has no series for a label value never seen); a missing good series cannot be read as zero.
 *
 * `extrapolated` values are clamped to what events can be. Exact bucket increments are not: two counters
 * sampled at different instants can put an increment of one in the next bucket of the other, and only the
 * unclamped buckets add up exactly.
 */
export function eventsFrom(
  indicator: Indicator,
  width: number,
  numeratorValue: number | undefined,
  totalValue: number | undefined,
  values: 'extrapolated' | 'increments' = 'extrapolated',
): { errors: number; total: number } | null {
  const total = toEvents(totalValue, indicator.total.unit, width);
  let numerator = toEvents(numeratorValue, indicator.numerator.unit, width);
  if (numerator === null && indicator.numeratorKind === 'errors' && total !== null) numerator = 0;
  if (total === null || numerator === null) return null;
  const errors = indicator.numeratorKind === 'errors' ? numerator : total - numerator;
  if (values === 'increments') return { errors, total };
  // Extrapolation can make errors exceed total, or good exceed total, by a hair; events cannot.
  const clampedTotal = Math.max(total, 0);
  return { errors: Math.min(Math.max(errors, 0), clampedTotal), total: clampedTotal };
}

/** One bucket per step of the range, from the values of the bucket-width window. */
export function bucketsFromResults(
  indicator: Indicator,
  range: Pick<QueryRange, 'start' | 'end' | 'width'>,
  numerator: ReadonlyMap<number, number> | undefined,
  total: ReadonlyMap<number, number> | undefined,
): BucketAppend[] {
  const buckets: BucketAppend[] = [];
  for (let end = range.start; end <= range.end; end += range.width) {
    const events = eventsFrom(indicator, range.width, numerator?.get(end), total?.get(end));
    buckets.push({ end, width: range.width, errors: events?.errors ?? null, total: events?.total ?? null });
  }
  return buckets;
}

/** Counts of each alert window at each step of the range; a window without data has zero coverage. */
export function windowCountsFromResults(
  indicator: Indicator,
  range: Pick<QueryRange, 'start' | 'end' | 'width'>,
  windows: readonly number[],
  numerator: WindowValues,
  total: WindowValues,
): Map<number, Map<number, WindowCounts>> {
  const byStep = new Map<number, Map<number, WindowCounts>>();
  for (let at = range.start; at <= range.end; at += range.width) {
    const counts = new Map<number, WindowCounts>();
    for (const window of windows) {
      const events = eventsFrom(indicator, window, numerator.get(window)?.get(at), total.get(window)?.get(at));
      counts.set(window, events ? { ...events, coverage: 1 } : { errors: 0, total: 0, coverage: 0 });
    }
    byStep.set(at, counts);
  }
  return byStep;
}

/**
 * Approximate buckets are recorded as soon as they have data (asking again would cost a windows query). Trailing
 * buckets without data may still be on their way (scrape or push lag): they stay unrecorded, to be asked for
 * again next cycle, until they are older than `lateness`.
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
