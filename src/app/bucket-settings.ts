import type { Config } from '../config/config.js';
import type { BucketSettings } from '../engine/sync-buckets.js';
import type { Slo } from '../slo/model.js';

const coarseBucket = 3600;

/** Fine buckets reach back over the longest alert window of any SLO, plus an hour for thinning. */
export function bucketSettings(config: Config, slos: readonly Slo[]): BucketSettings {
  const longest = Math.max(3600, ...slos.flatMap((slo) => slo.alerting.pairs.map((pair) => pair.long)));
  return {
    bucket: config.evaluation.bucket,
    coarseBucket,
    fineSpan: Math.ceil(longest / coarseBucket) * coarseBucket + coarseBucket,
    lateness: config.evaluation.lateness,
  };
}
