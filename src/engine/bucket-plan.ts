/**
 * Which buckets one SLO needs fetched to be current at `target`: pure, so catch-up after downtime,
 * start-up backfill and the steady state are one rule, tested without a backend.
 */
export interface BucketRange {
  /** First bucket end, inclusive. */
  start: number;
  /** Last bucket end, inclusive. */
  end: number;
  /** Bucket width = step between ends. */
  width: number;
}

export interface BucketPlan {
  /** Forget what the ledger holds first (nothing yet, a changed query, or a gap longer than the SLO window). */
  reset: boolean;
  ranges: BucketRange[];
}

export interface PlanInput {
  /** Newest bucket end recorded, if any. */
  lastEnd: number | undefined;
  /** Whether the recorded buckets were computed from the current queries and bucket size. */
  fingerprintMatches: boolean;
  /** Bucket end to be current at: a multiple of `bucket`. */
  target: number;
  /** Fine bucket width, seconds. */
  bucket: number;
  /** Coarse bucket width used for history beyond `fineSpan`, a multiple of `bucket`. */
  coarseBucket: number;
  /** How far back fine buckets are needed (the longest alert window plus margin). */
  fineSpan: number;
  /** The SLO's compliance window: how far back history is needed at all. */
  history: number;
}

export function planBuckets(input: PlanInput): BucketPlan {
  const { lastEnd, fingerprintMatches, target, bucket, coarseBucket, fineSpan, history } = input;
  const resume = lastEnd !== undefined && fingerprintMatches && target - lastEnd <= history;
  if (resume) {
    return { reset: false, ranges: lastEnd < target ? [{ start: lastEnd + bucket, end: target, width: bucket }] : [] };
  }
  // Fresh start: coarse buckets for old history, fine buckets for the span alert windows read.
  const historyStart = Math.floor((target - history) / coarseBucket) * coarseBucket;
  const fineStart = Math.max(Math.floor((target - fineSpan) / coarseBucket) * coarseBucket, historyStart);
  const ranges: BucketRange[] = [];
  if (fineStart > historyStart) ranges.push({ start: historyStart + coarseBucket, end: fineStart, width: coarseBucket });
  ranges.push({ start: fineStart + bucket, end: target, width: bucket });
  return { reset: true, ranges };
}
