import type { BucketSettings } from '../src/engine/sync-buckets.js';
import type { Slo } from '../src/slo/model.js';

const hour = 3600;

/** The daemon's defaults (1m buckets, 5m lateness, hourly coarse buckets), fine span as src/app/bucket-settings.ts derives it. */
export function benchSettings(slos: readonly Slo[]): BucketSettings {
  const longest = Math.max(hour, ...slos.flatMap((slo) => slo.alerting.pairs.map((pair) => pair.long)));
  return { bucket: 60, coarseBucket: hour, fineSpan: Math.ceil(longest / hour) * hour + hour, lateness: 300 };
}

/** The daemon's default number of SLOs synced at once. */
export const benchConcurrency = 16;
