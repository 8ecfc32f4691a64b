import { binomial, deriveSeed, poisson, seededRandom, type Random } from '../../src/demo/random.js';

/**
 * Counters scraped the way Prometheus scrapes them: every target at its own offset within the interval (not on
 * whole minutes), each scrape a little early or late, a process restart that resets its counters, an error
 * series that first appears mid-history (created at its first error), and a service with a few requests a
 * minute. Events are drawn per second, so the true counts of any span are known independently of the samples.
 */
export interface ScrapedService {
  name: string;
  /** Seconds between scrapes. */
  interval: number;
  /** Requests per second (before the diurnal swing). */
  rate: number;
  instances: number;
  /** The 5xx series of every instance exists (at 0) from the start; otherwise it appears with its first error. */
  errorsFromStart: boolean;
  /** Error ratio outside incidents; before `errorsBegin` (if given) there are none. */
  errorRatio: number;
  errorsBegin?: number;
  incidents: Array<{ from: number; to: number; errorRatio: number }>;
  /** A restart of instance 0: down for `downFor` seconds from `at`, its counters back at 0 afterwards. */
  restart?: { at: number; downFor: number };
  /** Labels of its series besides instance and code (a canary's `track`); default `service="<name>"`. */
  labels?: Readonly<Record<string, string>>;
}

export interface RealisticScrapes {
  start: number;
  end: number;
  services: ScrapedService[];
  /** OpenMetrics text (ends with `# EOF`): for promtool backfill and the embedded store alike. */
  openMetrics: string;
  /** Samples per service, for reporting. */
  samples: Map<string, number>;
  /**
   * The events that really happened in (from, to], up to each target's last scrape at or before `to`: what
   * happened after it is in no sample yet, for any tool.
   */
  trueCounts(service: string, from: number, to: number): { errors: number; total: number };
}

const day = 86_400;

interface Events {
  /** Cumulative requests / errors at the end of each second since start, per instance. */
  requests: Float64Array;
  errors: Float64Array;
  /** Times the instance was scraped. */
  scrapes: number[];
}

function drawEvents(service: ScrapedService, instance: number, start: number, seconds: number, random: Random): Events {
  const requests = new Float64Array(seconds + 1);
  const errors = new Float64Array(seconds + 1);
  for (let s = 1; s <= seconds; s++) {
    const t = start + s;
    const down = instance === 0 && service.restart !== undefined && t > service.restart.at && t <= service.restart.at + service.restart.downFor;
    const diurnal = 1 + 0.5 * Math.sin((2 * Math.PI * (t % day)) / day);
    const n = down ? 0 : poisson(random, (service.rate / service.instances) * diurnal);
    const incident = service.incidents.find((i) => t > i.from && t <= i.to);
    const ratio = incident ? incident.errorRatio : service.errorsBegin !== undefined && t <= service.errorsBegin ? 0 : service.errorRatio;
    const e = n === 0 ? 0 : binomial(random, n, ratio);
    requests[s] = (requests[s - 1] as number) + n;
    errors[s] = (errors[s - 1] as number) + e;
  }
  return { requests, errors, scrapes: [] };
}

const fmt = (value: number) => (Number.isInteger(value) ? `${value}` : value.toFixed(3));

export function realisticScrapes(options: { end: number; days: number; services: ScrapedService[]; seed?: number }): RealisticScrapes {
  const { end, services } = options;
  const start = end - options.days * day;
  const seconds = end - start;
  const seed = options.seed ?? 20261201;
  const events = new Map<string, Events[]>();
  const lines: string[] = ['# TYPE http_requests counter'];
  const samples = new Map<string, number>();
  services.forEach((service, index) => {
    const random = seededRandom(deriveSeed(seed, index));
    const perInstance: Events[] = [];
    for (let instance = 0; instance < service.instances; instance++) {
      const drawn = drawEvents(service, instance, start, seconds, random);
      perInstance.push(drawn);
      // Each target has its own phase in the interval, as Prometheus spreads them; never a whole second.
      const offset = (0.137 + 0.618 * ((index * 7 + instance * 3) % 11) / 11) * service.interval;
      const restart = instance === 0 ? service.restart : undefined;
      let base = { requests: 0, errors: 0 };
      let errorSeriesExists = service.errorsFromStart;
      let count = 0;
      for (let k = 0; ; k++) {
        const jitter = (random.next() - 0.5) * 0.04 * service.interval;
        const at = Math.round((start + offset + k * service.interval + jitter) * 1000) / 1000;
        if (at > end) break;
        if (at <= start) continue;
        if (restart && at > restart.at && at <= restart.at + restart.downFor) continue;
        drawn.scrapes.push(at);
        const second = Math.floor(at - start);
        const requests = drawn.requests[second] as number;
        const errors = drawn.errors[second] as number;
        // After the restart the process counts from zero what it served since it came back.
        if (restart && at > restart.at + restart.downFor && base.requests === 0) {
          const upSecond = restart.at + restart.downFor - start;
          base = { requests: drawn.requests[upSecond] as number, errors: drawn.errors[upSecond] as number };
        }
        const served = requests - base.requests;
        const failed = errors - base.errors;
        const own = Object.entries(service.labels ?? { service: service.name }).map(([name, value]) => `${name}="${value}"`);
        const labels = [...own, `instance="${service.name}-${instance}:8080"`].join(',');
        lines.push(`http_requests_total{${labels},code="200"} ${served - failed} ${fmt(at)}`);
        count++;
        if (failed > 0) errorSeriesExists = true;
        if (errorSeriesExists) {
          lines.push(`http_requests_total{${labels},code="500"} ${failed} ${fmt(at)}`);
          count++;
        }
      }
      samples.set(service.name, (samples.get(service.name) ?? 0) + count);
    }
    events.set(service.name, perInstance);
  });
  // OpenMetrics wants each series' samples together and in time order.
  const body = lines.slice(1).sort(bySeriesThenTime);
  return {
    start,
    end,
    services,
    openMetrics: `${lines[0]}\n${body.join('\n')}\n# EOF\n`,
    samples,
    trueCounts(service, from, to) {
      const perInstance = events.get(service);
      if (!perInstance) throw new Error(`no service ${service}`);
      const index = (t: number) => Math.max(0, Math.min(seconds, Math.floor(t - start)));
      let errors = 0;
      let total = 0;
      for (const e of perInstance) {
        const horizon = Math.min(to, lastAtOrBefore(e.scrapes, to));
        if (horizon <= from) continue;
        total += (e.requests[index(horizon)] as number) - (e.requests[index(from)] as number);
        errors += (e.errors[index(horizon)] as number) - (e.errors[index(from)] as number);
      }
      return { errors, total };
    },
  };
}

function bySeriesThenTime(a: string, b: string): number {
  const [seriesA, , timeA] = a.split(' ');
  const [seriesB, , timeB] = b.split(' ');
  if (seriesA !== seriesB) return (seriesA as string) < (seriesB as string) ? -1 : 1;
  return Number(timeA) - Number(timeB);
}

function lastAtOrBefore(times: readonly number[], t: number): number {
  let low = 0;
  let high = times.length - 1;
  let found = Number.NEGATIVE_INFINITY;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if ((times[middle] as number) <= t) {
      found = times[middle] as number;
      low = middle + 1;
    } else high = middle - 1;
  }
  return found;
}
