import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/demo/index.js';
import { startPrometheus, type PrometheusServer } from '../support/prometheus-server.js';
import { writeScenarioFile, type ScenarioFile } from '../support/scenario-file.js';

const end = 1_790_000_000;
const margin = 300;

describe('the 32-day scenario backfilled into Prometheus', () => {
  let scenario: ScenarioFile;
  let prometheus: PrometheusServer;

  beforeAll(async () => {
    scenario = await writeScenarioFile({ end, days: 32, scrapeInterval: 30 });
    prometheus = await startPrometheus({ openMetricsFile: scenario.path });
  });
  afterAll(async () => {
    await prometheus?.stop();
    await scenario?.remove();
  });

  async function instant(expr: string, time: number): Promise<number> {
    const query = new URLSearchParams({ query: expr, time: String(time) });
    const answer = (await (await fetch(`${prometheus.url}/api/v1/query?${query}`)).json()) as { status: string; data: { result: { value: [number, string] }[] } };
    expect(answer.status).toBe('success');
    expect(answer.data.result).toHaveLength(1);
    return Number(answer.data.result[0]!.value[1]);
  }

  function incident(kind: Incident['kind']): Incident {
    const found = scenario.incidents.find((i) => i.kind === kind);
    if (!found) throw new Error(`no ${kind} incident`);
    return found;
  }

  /** `increase` over the incident plus a margin each side, evaluated at the end of that window. */
  function around(expr: (window: string) => string, i: Incident): Promise<number> {
    const seconds = i.end - i.start + 2 * margin;
    return instant(expr(`${seconds}s`), i.end + margin);
  }

  it('holds about 1.3 million samples, backfilled in well under a minute', () => {
    expect(scenario.samples).toBeGreaterThan(1_200_000);
    expect(prometheus.backfillMillis).toBeLessThan(60_000);
  });

  const errorIncidents: { kind: Incident['kind']; service: string; tolerance: number }[] = [
    { kind: 'fast-burn', service: 'checkout', tolerance: 0.03 },
    { kind: 'minor-burn', service: 'checkout', tolerance: 0.03 },
    { kind: 'slow-burn', service: 'search', tolerance: 0.03 },
    { kind: 'failure-burst', service: 'ledger', tolerance: 0.1 },
  ];
  it.each(errorIncidents)('Prometheus sees the errors of the $service $kind that the generator counted', async ({ kind, service, tolerance }) => {
    const i = incident(kind);
    const errors = await around((w) => `sum(increase(http_requests_total{service="${service}",code="500"}[${w}]))`, i);
    expect(Math.abs(errors - i.events.bad) / i.events.bad).toBeLessThan(tolerance);
  });

  it('Prometheus sees the slow requests of the search latency regression that the generator counted', async () => {
    const i = incident('latency-regression');
    const slow = await around(
      (w) => `sum(increase(http_request_duration_seconds_bucket{service="search",le="+Inf"}[${w}])) - sum(increase(http_request_duration_seconds_bucket{service="search",le="0.3"}[${w}]))`,
      i,
    );
    // The margin adds ~0.5% slow requests of ten minutes of healthy traffic.
    expect(Math.abs(slow - i.events.bad) / i.events.bad).toBeLessThan(0.05);
  });

  it('the fast burn fails every checkout request', async () => {
    const i = incident('fast-burn');
    const ratio = await instant(
      `sum(increase(http_requests_total{service="checkout",code="500"}[20m])) / sum(increase(http_requests_total{service="checkout"}[20m]))`,
      i.end - 60,
    );
    expect(ratio).toBeGreaterThan(0.99);
  });

  it('the catalog restart shows as exactly one counter reset', async () => {
    const i = incident('counter-reset');
    expect(await instant('resets(http_requests_total{service="catalog",code="200"}[1h])', i.start + 1800)).toBe(1);
    expect(await instant('resets(http_requests_total{service="catalog",code="200"}[31d])', end)).toBe(1);
    expect(await instant('resets(http_requests_total{service="checkout",code="200"}[31d])', end)).toBe(0);
  });
});
