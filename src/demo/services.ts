import type { IncidentPlan, ScenarioService } from './incidents.js';
import { binomial, poisson, type Random } from './random.js';

/** What one service did during one scrape interval `(t - interval, t]`. */
export interface IntervalEvents {
  ok: number;
  errors: number;
  /** Latency histogram (search only). */
  latency?: LatencyEvents;
}

/** Requests per bucket `≤0.1`, `(0.1, 0.3]`, `(0.3, 1]`, `>1` seconds, and their summed duration. */
export interface LatencyEvents {
  buckets: [number, number, number, number];
  sum: number;
}

export interface ServiceProfile {
  service: ScenarioService;
  /** Mean requests per second before the diurnal factor. */
  rate: number;
  diurnal: boolean;
  baselineErrorRatio: number;
  histogram: boolean;
}

export const serviceProfiles: readonly ServiceProfile[] = [
  { service: 'checkout', rate: 20, diurnal: true, baselineErrorRatio: 0.0002, histogram: false },
  { service: 'search', rate: 50, diurnal: true, baselineErrorRatio: 0.001, histogram: true },
  { service: 'ledger', rate: 0.05, diurnal: false, baselineErrorRatio: 0.0005, histogram: false },
  { service: 'catalog', rate: 10, diurnal: true, baselineErrorRatio: 0.0001, histogram: false },
];

const day = 86_400;
const peakSecondOfDay = 15 * 3600;

/** ±50% sinusoid over 24 h, peaking at 15:00 UTC. */
export function diurnalFactor(t: number): number {
  return 1 + 0.5 * Math.cos((2 * Math.PI * (t - peakSecondOfDay)) / day);
}

type Shares = readonly [number, number, number, number];
const healthyLatency: Shares = [0.7, 0.295, 0.004, 0.001];
/** Latency shares with `slow` of requests above 0.3 s (split 80/20 between the 1 s and +Inf buckets). */
function regressedLatency(slow: number): Shares {
  return [0.6 * (1 - slow), 0.4 * (1 - slow), 0.8 * slow, 0.2 * slow];
}
const bucketMeanSeconds = [0.05, 0.18, 0.5, 1.6] as const;

function drawLatency(random: Random, requests: number, shares: Shares): LatencyEvents {
  const buckets: [number, number, number, number] = [0, 0, 0, 0];
  let left = requests;
  let shareLeft = 1;
  for (let i = 0; i < 3; i += 1) {
    const share = shares[i] ?? 0;
    const drawn = binomial(random, left, Math.min(1, share / shareLeft));
    buckets[i] = drawn;
    left -= drawn;
    shareLeft -= share;
  }
  buckets[3] = left;
  let sum = 0;
  for (let i = 0; i < 4; i += 1) sum += (buckets[i] ?? 0) * (bucketMeanSeconds[i] ?? 0) * (0.9 + 0.2 * random.next());
  return { buckets, sum };
}

/** Draws one interval's events. `incidents` are the plans active for this service at the interval's midpoint. */
export function drawInterval(
  profile: ServiceProfile,
  random: Random,
  midpoint: number,
  interval: number,
  incidents: readonly IncidentPlan[],
  burst: { requests: number; errors: number } | undefined,
): IntervalEvents {
  const factor = profile.diurnal ? diurnalFactor(midpoint) : 1;
  const requests = burst ? burst.requests : poisson(random, profile.rate * factor * interval);
  let errorRatio = profile.baselineErrorRatio;
  let latencyShares = healthyLatency;
  for (const incident of incidents) {
    if (incident.kind === 'latency-regression') latencyShares = regressedLatency(incident.errorRatio);
    else if (incident.kind !== 'counter-reset' && incident.kind !== 'failure-burst') errorRatio = incident.errorRatio;
  }
  const errors = burst ? burst.errors : binomial(random, requests, errorRatio);
  const events: IntervalEvents = { ok: requests - errors, errors };
  if (profile.histogram) events.latency = drawLatency(random, requests, latencyShares);
  return events;
}
