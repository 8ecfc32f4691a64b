import type { MetricBackend } from '../backends/backend.js';
import type { EventCounts, PopulationNames } from '../core/error-ratio-comparison.js';
import type { Slo } from '../slo/model.js';
import { trackSlo, type Track } from '../slo/track-slo.js';
import { bucketsBetween, countsIn } from './range-counts.js';

/** How the reasons name the two tracks. */
export const trackNames: PopulationNames = { candidate: 'in the canary', baseline: 'in stable' };

/**
 * The events of an SLO's stable track (the baseline) and its canary (the candidate) over one period, each read
 * as the SLO's own events are, from its queries narrowed by `spec.tracks`.
 */
export async function trackCounts(
  slo: Slo,
  backend: MetricBackend,
  period: { from: number; to: number },
  bucket: number,
  signal?: AbortSignal,
): Promise<{ baseline: EventCounts; candidate: EventCounts; exact: boolean }> {
  const read = (track: Track) => bucketsBetween(trackSlo(slo, track), backend, period.from, period.to, bucket, signal);
  const [stable, canary] = await Promise.all([read('stable'), read('canary')]);
  return {
    baseline: countsIn(stable.buckets, period.from, period.to),
    candidate: countsIn(canary.buckets, period.from, period.to),
    exact: stable.exact && canary.exact,
  };
}
