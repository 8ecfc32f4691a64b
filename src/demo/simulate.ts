import { planIncidents, type Incident } from './incidents.js';
import { deriveSeed, seededRandom } from './random.js';
import { drawInterval, serviceProfiles, type IntervalEvents, type ServiceProfile } from './services.js';

export interface ScenarioOptions {
  /** Unix seconds: the last sample is at or before this time. */
  end: number;
  days: number;
  /** Seconds between samples; default 30. */
  scrapeInterval?: number;
  seed?: number;
  /** Give each service a fixed scrape offset within the interval, as real scrapes have (default true). */
  offsets?: boolean;
}

/** Cumulative counter values of one service at one sample time. */
export interface Tick {
  t: number;
  ok: number;
  errors: number;
  /** Cumulative histogram buckets `le=0.1, 0.3, 1, +Inf` (search only). */
  buckets: [number, number, number, number];
  /** Total observed duration in seconds (search only). */
  sum: number;
  interval: IntervalEvents;
}

const offsetSeconds: Record<ServiceProfile['service'], number> = { checkout: 7, search: 13, ledger: 19, catalog: 23 };

export const defaultSeed = 20_261_122;

export function resolveScenario(options: ScenarioOptions) {
  const scrapeInterval = options.scrapeInterval ?? 30;
  if (!(scrapeInterval > 0) || !Number.isInteger(scrapeInterval)) throw new Error(`scrape interval must be a whole number of seconds, got ${scrapeInterval}`);
  if (!(options.days > 0)) throw new Error(`days must be positive, got ${options.days}`);
  return {
    end: options.end,
    start: options.end - options.days * 86_400,
    scrapeInterval,
    seed: options.seed ?? defaultSeed,
    offsets: options.offsets ?? true,
    plans: planIncidents(options.end, scrapeInterval),
  };
}

export type ResolvedScenario = ReturnType<typeof resolveScenario>;

/** The sample-time offset of a service within each scrape interval. */
export function scrapeOffset(scenario: ResolvedScenario, service: ServiceProfile['service']): number {
  return scenario.offsets ? offsetSeconds[service] % scenario.scrapeInterval : 0;
}

/**
 * Replays one service's counters over the scenario, one tick per scrape. The same scenario always yields the same
 * ticks, so callers may replay it once per series instead of holding the whole history in memory. The yielded tick is reused: copy what you keep.
 */
export function* simulateService(scenario: ResolvedScenario, profile: ServiceProfile, incidents?: Incident[]): Generator<Tick> {
  const step = scenario.scrapeInterval;
  const offset = scrapeOffset(scenario, profile.service);
  const random = seededRandom(deriveSeed(scenario.seed, serviceProfiles.indexOf(profile)));
  const plans = scenario.plans.filter((plan) => plan.service === profile.service);
  const tracked = incidents?.filter((incident) => incident.service === profile.service) ?? [];
  const tick: Tick = { t: 0, ok: 0, errors: 0, buckets: [0, 0, 0, 0], sum: 0, interval: { ok: 0, errors: 0 } };

  for (let t = Math.ceil((scenario.start - offset) / step) * step + offset; t <= scenario.end; t += step) {
    const midpoint = t - step / 2;
    const active = plans.filter((plan) => midpoint >= plan.start && midpoint < plan.end);
    if (plans.some((plan) => plan.kind === 'counter-reset' && plan.start > t - step && plan.start <= t)) {
      Object.assign(tick, { ok: 0, errors: 0, buckets: [0, 0, 0, 0], sum: 0 });
    }
    const burstPlan = active.find((plan) => plan.kind === 'failure-burst');
    const burst = burstPlan ? { requests: 1, errors: Math.floor((midpoint - burstPlan.start) / step) % 2 === 0 ? 1 : 0 } : undefined;
    const events = drawInterval(profile, random, midpoint, step, active, burst);

    tick.t = t;
    tick.ok += events.ok;
    tick.errors += events.errors;
    tick.interval = events;
    if (events.latency) {
      let cumulative = 0;
      events.latency.buckets.forEach((count, i) => {
        cumulative += count;
        tick.buckets[i] = (tick.buckets[i] ?? 0) + cumulative;
      });
      tick.sum += events.latency.sum;
    }
    for (const incident of tracked) {
      if (midpoint < incident.start || midpoint >= incident.end) continue;
      incident.events.total += events.ok + events.errors;
      incident.events.bad += incident.kind === 'latency-regression' ? (events.latency?.buckets[2] ?? 0) + (events.latency?.buckets[3] ?? 0) : events.errors;
    }
    yield tick;
  }
}
