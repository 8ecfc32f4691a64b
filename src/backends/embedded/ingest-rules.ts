import { formatLabels, type Labels } from './labels.js';

/**
 * Prometheus' append rules, as the embedded store applies them to every pushed sample: a series only moves
 * forward in time. A sample older than the series' newest is out of order; one at the newest time with another
 * value is a duplicate (the same value again is accepted and changes nothing); times before 1970 or too far
 * ahead of the clock are out of bounds.
 */
export type SampleVerdict = 'append' | 'identical' | RejectionReason;

export const rejectionReasons = ['outOfOrder', 'duplicate', 'tooFarInFuture', 'outOfBounds'] as const;
export type RejectionReason = (typeof rejectionReasons)[number];

/** How far ahead of the ingesting clock a sample may be, ms. */
export const futureToleranceMs = 10 * 60_000;

/** No sample is accepted after the end of year 9999, whatever the clock. */
const latestTimestampMs = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** A stored value: a number, null for NaN, or `stale` for a staleness marker. */
export type StoredValue = number | string | null;

/** The newest sample of a series, if it has one. */
export interface Newest {
  t: number;
  value: StoredValue;
}

export function sameStoredValue(a: StoredValue, b: StoredValue): boolean {
  return typeof a === 'number' && typeof b === 'number' ? Object.is(a, b) : a === b;
}

/** What happens to a sample at `t` with `value` given the series' newest sample and the ingesting clock. */
export function judgeSample(newest: Newest | undefined, t: number, value: StoredValue, nowMs: number | undefined): SampleVerdict {
  if (!Number.isSafeInteger(t) || t < 0 || t > latestTimestampMs) return 'outOfBounds';
  if (nowMs !== undefined && t > nowMs + futureToleranceMs) return 'tooFarInFuture';
  if (newest === undefined || t > newest.t) return 'append';
  if (t < newest.t) return 'outOfOrder';
  return sameStoredValue(newest.value, value) ? 'identical' : 'duplicate';
}

/** Rejected samples of one push: how many for each reason, and the first few series they belonged to. */
export interface Rejections {
  total: number;
  outOfOrder: number;
  duplicate: number;
  tooFarInFuture: number;
  outOfBounds: number;
  /** Up to `rejectedSeriesShown` series, as `name{label="value", …}`. */
  series: string[];
}

export const rejectedSeriesShown = 10;

export function noRejections(): Rejections {
  return { total: 0, outOfOrder: 0, duplicate: 0, tooFarInFuture: 0, outOfBounds: 0, series: [] };
}

export function mergeRejections(a: Rejections, b: Rejections): Rejections {
  const series = [...new Set([...a.series, ...b.series])].slice(0, rejectedSeriesShown);
  return {
    total: a.total + b.total,
    outOfOrder: a.outOfOrder + b.outOfOrder,
    duplicate: a.duplicate + b.duplicate,
    tooFarInFuture: a.tooFarInFuture + b.tooFarInFuture,
    outOfBounds: a.outOfBounds + b.outOfBounds,
    series,
  };
}

export function countRejection(rejections: Rejections, reason: RejectionReason, labels: Labels): void {
  rejections.total += 1;
  rejections[reason] += 1;
  if (rejections.series.length >= rejectedSeriesShown) return;
  const shown = formatLabels(labels);
  if (!rejections.series.includes(shown)) rejections.series.push(shown);
}

/** One line for logs and the CLI: `3 samples rejected (2 out of order, 1 duplicate) of up{job="a"}`. */
export function describeRejections(rejections: Rejections): string {
  const words: Record<RejectionReason, string> = {
    outOfOrder: 'out of order',
    duplicate: 'duplicate with another value',
    tooFarInFuture: 'too far in the future',
    outOfBounds: 'out of bounds',
  };
  const parts = rejectionReasons.filter((reason) => rejections[reason] > 0).map((reason) => `${rejections[reason]} ${words[reason]}`);
  const more = rejections.series.length >= rejectedSeriesShown ? ', …' : '';
  return `${rejections.total} samples rejected (${parts.join(', ')}) of ${rejections.series.join(', ')}${more}`;
}
