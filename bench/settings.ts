import { bucketSettings } from '../src/wiring/bucket-settings.js';
import type { BucketSettings } from '../src/engine/sync-buckets.js';

/** The daemon's defaults: 1m buckets, 5m lateness. */
export function benchSettings(): BucketSettings {
  return bucketSettings({ bucket: 60, lateness: 300 });
}

/** The daemon's default number of SLOs synced at once. */
export const benchConcurrency = 16;
