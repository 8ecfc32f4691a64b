import type { WindowCounts } from '../core/burn-rate.js';

/**
 * Per-SLO event counts, kept as running (prefix) sums at bucket ends so that the counts of any window
 * ending at a bucket boundary are two lookups: row(t) − row(t − W). Old rows can be thinned to coarse
 * boundaries without losing sums; a lookup then rounds the far edge down to the nearest kept row.
 */
export interface BucketAppend {
  /** Bucket end, unix seconds. */
  end: number;
  /** Bucket width, seconds. */
  width: number;
  /** null when the bucket had no data. */
  errors: number | null;
  total: number | null;
}

export interface LedgerRow {
  t: number;
  cumErrors: number;
  cumTotal: number;
  /** Seconds of data covered up to t. */
  cumCovered: number;
}

export interface BucketLedger {
  /** End of the newest bucket recorded for the SLO, if any. */
  lastBucketEnd(slo: string): number | undefined;
  /** Identity of what the buckets were computed from (queries, bucket size); a change makes them void. */
  fingerprint(slo: string): string | undefined;
  /** Forgets every bucket of the SLO and records the new fingerprint. */
  reset(slo: string, fingerprint: string): void;
  /** Appends buckets in ascending order, each after the last recorded end. */
  append(slo: string, buckets: readonly BucketAppend[]): void;
  /** Counts of each window (seconds) ending at `at`. */
  windowCounts(slo: string, at: number, windows: readonly number[]): Map<number, WindowCounts>;
  /** Keeps rows older than `before` only where t is a multiple of `keepEvery`. Returns rows removed. */
  thin(slo: string, before: number, keepEvery: number): number;
}

export const zeroRow: LedgerRow = { t: Number.NEGATIVE_INFINITY, cumErrors: 0, cumTotal: 0, cumCovered: 0 };

/** Next row after `previous` for one bucket. */
export function accumulate(previous: LedgerRow, bucket: BucketAppend): LedgerRow {
  if (bucket.errors === null || bucket.total === null) return { ...previous, t: bucket.end };
  return {
    t: bucket.end,
    cumErrors: previous.cumErrors + bucket.errors,
    cumTotal: previous.cumTotal + bucket.total,
    cumCovered: previous.cumCovered + bucket.width,
  };
}

/**
 * Window counts from the rows at or before `at` (upper) and at or before `at − window` (lower).
 * With no lower row the window reaches back before the first bucket and starts from zero.
 */
export function countsBetween(upper: LedgerRow | undefined, lower: LedgerRow | undefined, at: number, window: number): WindowCounts {
  if (!upper) return { errors: 0, total: 0, coverage: 0 };
  const base = lower ?? zeroRow;
  const span = Number.isFinite(base.t) ? Math.max(at - base.t, window) : window;
  return {
    errors: upper.cumErrors - base.cumErrors,
    total: upper.cumTotal - base.cumTotal,
    coverage: Math.min((upper.cumCovered - base.cumCovered) / span, 1),
  };
}
