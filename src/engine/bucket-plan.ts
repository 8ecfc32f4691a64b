/**
 * Which ranges one SLO's indicator queries must cover to be current at `target`: pure, so start-up
 * backfill, catch-up after downtime and the steady state are one rule, tested without a backend.
 *
 * Every range records buckets (running sums for the budget window). Ranges marked `windows` also ask
 * for the alert windows themselves at each step, exactly as Prometheus computes them; only the steps
 * that will be evaluated need those.
 */
export interface QueryRange {
  /** First step (a bucket end), inclusive. */
  start: number;
  /** Last step, inclusive. */
  end: number;
  /** Bucket width = step. */
  width: number;
  /** Whether the alert windows are evaluated at each step of this range. */
  windows: boolean;
}

export interface QueryPlan {
  /** Forget what the ledger holds first (nothing yet, a changed query, or a gap longer than the SLO window). */
  reset: boolean;
  ranges: QueryRange[];
}

export interface PlanInput {
  /** Newest bucket end recorded, if any. */
  lastEnd: number | undefined;
  /** Whether the recorded buckets were computed from the current queries and bucket size. */
  fingerprintMatches: boolean;
  /** Step to be current at: a multiple of `bucket`. */
  target: number;
  /** Earliest step that will be evaluated (≤ target): alert windows are fetched from here on. */
  windowsFrom: number;
  /** Fine bucket width, seconds. */
  bucket: number;
  /** Coarse bucket width used for history beyond `fineSpan`, a multiple of `bucket`. */
  coarseBucket: number;
  /** How far back fine buckets are backfilled. */
  fineSpan: number;
  /** The SLO's compliance window: how far back history is needed at all. */
  history: number;
}

export function planQueries(input: PlanInput): QueryPlan {
  const { lastEnd, fingerprintMatches, target, bucket, coarseBucket, fineSpan, history } = input;
  const windowsFrom = Math.min(Math.ceil(input.windowsFrom / bucket) * bucket, target);
  const resume = lastEnd !== undefined && fingerprintMatches && target - lastEnd <= history;
  const ranges: QueryRange[] = [];
  const add = (start: number, end: number, width: number, windows: boolean) => {
    if (end >= start) ranges.push({ start, end, width, windows });
  };
  if (resume) {
    add(lastEnd + bucket, windowsFrom - bucket, bucket, false);
    add(windowsFrom, target, bucket, true);
    return { reset: false, ranges };
  }
  // Fresh start: coarse buckets for old history, fine buckets nearer, alert windows where evaluated.
  const historyStart = Math.floor((target - history) / coarseBucket) * coarseBucket;
  const windowsStart = Math.max(windowsFrom, historyStart + bucket);
  const fineFrom = Math.min(target - fineSpan, windowsStart - bucket);
  const fineStart = Math.max(Math.floor(fineFrom / coarseBucket) * coarseBucket, historyStart);
  add(historyStart + coarseBucket, fineStart, coarseBucket, false);
  add(fineStart + bucket, windowsStart - bucket, bucket, false);
  add(windowsStart, target, bucket, true);
  return { reset: true, ranges };
}
