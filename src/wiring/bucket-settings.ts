import type { Config } from '../config/config.js';
import type { BucketSettings } from '../engine/sync-buckets.js';

const hour = 3600;

/**
 * Alert windows are read exactly from the backend at each step; the ledger only sums the compliance window.
 * Minute buckets are kept for a day (enough for replays after downtime to see the budget at each step);
 * older history is kept, and backfilled, in hourly buckets.
 */
export function bucketSettings(evaluation: Pick<Config['evaluation'], 'bucket' | 'lateness'>): BucketSettings {
  return { bucket: evaluation.bucket, coarseBucket: hour, fineSpan: 24 * hour, lateness: evaluation.lateness };
}
