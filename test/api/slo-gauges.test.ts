import { afterEach, describe, expect, it } from 'vitest';
import { registerSloGauges } from '../../src/daemon/slo-gauges.js';
import { apiHarness, closeHarnesses, t0, type ApiHarness } from './api-harness.js';

afterEach(closeHarnesses);

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseExposition(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('burnrate_slo_'))
    .map((line) => {
      const match = /^(\w+)\{(.*)\} (\S+)$/.exec(line);
      if (!match) throw new Error(`unexpected line ${line}`);
      const labels = Object.fromEntries([...match[2]!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
      return { name: match[1]!, labels, value: Number(match[3]) };
    });
}

async function scrape(h: ApiHarness): Promise<Sample[]> {
  const response = await h.app.inject({ method: 'GET', url: '/metrics' });
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toMatch(/^text\/plain/);
  return parseExposition(response.body);
}

const value = (samples: Sample[], name: string, labels: Record<string, string>) =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).map((s) => s.value);

describe('SLO gauges on /metrics', () => {
  it('export budget remaining, error ratio, burn rate per window and alert firing from the latest evaluations', async () => {
    const h = await apiHarness();
    registerSloGauges(h.metrics, { slos: h.slos, store: h.store, alerts: h.alerts });
    h.record(t0 - 60, { 'checkout-availability': 0.0005, 'search-availability': 0.05 });
    h.record(t0, { 'checkout-availability': 0.0002, 'search-availability': 0.05 });
    const samples = await scrape(h);

    // checkout: 0.02% errors against a 0.1% budget: burn rate 0.2, 80% of the budget left.
    expect(value(samples, 'burnrate_slo_budget_remaining_ratio', { slo: 'checkout-availability', service: 'checkout' })).toEqual([expect.closeTo(0.8, 9)]);
    expect(value(samples, 'burnrate_slo_error_ratio', { slo: 'checkout-availability' })).toEqual([expect.closeTo(0.0002, 12)]);
    expect(value(samples, 'burnrate_slo_burn_rate', { slo: 'checkout-availability', window: '5m' })).toEqual([expect.closeTo(0.2, 9)]);
    expect(value(samples, 'burnrate_slo_burn_rate', { slo: 'checkout-availability' })).toHaveLength(7);
    expect(value(samples, 'burnrate_slo_alert_firing', { slo: 'checkout-availability', severity: 'page' })).toEqual([0]);
    expect(value(samples, 'burnrate_slo_last_evaluation_timestamp_seconds', { slo: 'checkout-availability' })).toEqual([t0]);

    // search: overspent, so the ratio is negative; both tiers firing.
    expect(value(samples, 'burnrate_slo_budget_remaining_ratio', { slo: 'search-availability', service: 'search' })).toEqual([expect.closeTo(-49, 9)]);
    expect(value(samples, 'burnrate_slo_burn_rate', { slo: 'search-availability', window: '1h' })).toEqual([expect.closeTo(50, 9)]);
    expect(value(samples, 'burnrate_slo_alert_firing', { slo: 'search-availability', severity: 'page' })).toEqual([1]);
    expect(value(samples, 'burnrate_slo_alert_firing', { slo: 'search-availability', severity: 'ticket' })).toEqual([1]);

    // Never evaluated: no budget figures (absent, not 0), and no alert firing.
    expect(value(samples, 'burnrate_slo_budget_remaining_ratio', { slo: 'checkout-latency' })).toEqual([]);
    expect(value(samples, 'burnrate_slo_burn_rate', { slo: 'checkout-latency' })).toEqual([]);
    expect(value(samples, 'burnrate_slo_alert_firing', { slo: 'checkout-latency', severity: 'page' })).toEqual([0]);
  });

  it('are read at scrape time: a newer evaluation changes the next scrape', async () => {
    const h = await apiHarness();
    registerSloGauges(h.metrics, { slos: h.slos, store: h.store, alerts: h.alerts });
    h.record(t0, { 'search-availability': 0.05 });
    expect(value(await scrape(h), 'burnrate_slo_alert_firing', { slo: 'search-availability', severity: 'page' })).toEqual([1]);
    h.record(t0 + 60, { 'search-availability': 0 });
    const after = await scrape(h);
    expect(value(after, 'burnrate_slo_alert_firing', { slo: 'search-availability', severity: 'page' })).toEqual([0]);
    expect(value(after, 'burnrate_slo_burn_rate', { slo: 'search-availability', window: '5m' })).toEqual([0]);
    expect(value(after, 'burnrate_slo_last_evaluation_timestamp_seconds', { slo: 'search-availability' })).toEqual([t0 + 60]);
  });

  it('leave a window out while it has no events, rather than exporting a healthy-looking 0', async () => {
    const h = await apiHarness();
    registerSloGauges(h.metrics, { slos: h.slos, store: h.store, alerts: h.alerts });
    h.record(t0, { 'search-availability': 0.05 }, 0);
    const samples = await scrape(h);
    expect(value(samples, 'burnrate_slo_burn_rate', { slo: 'search-availability' })).toEqual([]);
    expect(value(samples, 'burnrate_slo_budget_remaining_ratio', { slo: 'search-availability' })).toEqual([]);
    expect(value(samples, 'burnrate_slo_last_evaluation_timestamp_seconds', { slo: 'search-availability' })).toEqual([t0]);
  });
});
