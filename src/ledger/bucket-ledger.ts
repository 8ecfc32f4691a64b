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
  /** The running sums at time `t`, at `bucket` resolution: see {@link sumsBetweenRows}. */
  sumsAt(slo: string, t: number, bucket: number): RunningSums;
  /**
   * Keeps rows older than `before` only where t is a multiple of `keepEvery` or one of `keep` (the boundaries where
   * deploys landed, so a deploy's budget cost stays exact after thinning). Returns rows removed.
   */
  thin(slo: string, before: number, keepEvery: number, keep?: readonly number[]): number;
  /** Removes rows older than `before`, keeping the newest of them as the base of later windows. Returns rows removed. */
  drop(slo: string, before: number): number;
}

/** Errors and events counted up to a time, and whether that is exact or read between two thinned rows. */
export interface RunningSums {
  errors: number;
  total: number;
  exact: boolean;
}

/**
 * The running sums at `t` from the rows around it: the row of the bucket `t` falls in (at most one `bucket` before
 * it; that bucket counts after `t`), or the last row when none follows. Where the rows around `t` are further apart
 * (thinned to coarse ones, or backfilled coarse), the sums are interpolated in time between them and marked
 * inexact. Before the first row: 0.
 */
export function sumsBetweenRows(floor: LedgerRow | undefined, next: LedgerRow | undefined, t: number, bucket: number): RunningSums {
  if (floor === undefined) return { errors: 0, total: 0, exact: true };
  if (t - floor.t < bucket || next === undefined) return { errors: floor.cumErrors, total: floor.cumTotal, exact: true };
  const share = (t - floor.t) / (next.t - floor.t);
  return { errors: floor.cumErrors + share * (next.cumErrors - floor.cumErrors), total: floor.cumTotal + share * (next.cumTotal - floor.cumTotal), exact: false };
}

/** The zero row a ledger starts from: at the start of its first bucket, so the first bucket counts in windows. */
export function baseRow(buckets: readonly BucketAppend[]): LedgerRow | undefined {
  const first = buckets[0];
  return first && { t: first.end - first.width, cumErrors: 0, cumTotal: 0, cumCovered: 0 };
}

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
 * Window counts from the rows at or before `at` (upper) and at or before `at − window` (lower); a window
 * reaching back before the oldest row starts from the oldest row, and its coverage says so.
 */
export function countsBetween(upper: LedgerRow | undefined, lower: LedgerRow | undefined, at: number, window: number): WindowCounts {
  if (!upper || !lower) return { errors: 0, total: 0, coverage: 0 };
  const base = lower.t <= upper.t ? lower : upper;
  const span = Math.max(at - base.t, window);
  return {
    errors: upper.cumErrors - base.cumErrors,
    total: upper.cumTotal - base.cumTotal,
    coverage: Math.min((upper.cumCovered - base.cumCovered) / span, 1),
  };
}

/** Housekeeping shared by both ledgers' callers: thin rows past the fine span, drop rows past the history. */
export interface LedgerRetention {
  /** Rows older than this keep only coarse boundaries. */
  thinBefore: number;
  coarseBucket: number;
  /** Rows older than this are not needed by any window. */
  dropBefore: number;
}

/**
 * Window counts from the ledger plus buckets not recorded yet (ending after the ledger's last row): those ending
 * in (at − window, at] are added, and their covered seconds to the coverage.
 */
export function withPending(counts: WindowCounts, pending: readonly BucketAppend[], at: number, window: number): WindowCounts {
  let { errors, total } = counts;
  let covered = 0;
  for (const bucket of pending) {
    if (bucket.end > at || bucket.end <= at - window || bucket.errors === null || bucket.total === null) continue;
    errors += bucket.errors;
    total += bucket.total;
    covered += bucket.width;
  }
  return covered === 0 ? counts : { errors, total, coverage: Math.min(counts.coverage + covered / window, 1) };
}
