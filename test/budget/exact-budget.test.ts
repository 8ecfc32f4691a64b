import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricBackend } from '../../src/backends/backend.js';
import { createPrometheusBackend } from '../../src/backends/prometheus/prometheus-backend.js';
import { run } from '../../src/cli/main.js';
import { loadConfig } from '../../src/config/load-config.js';
import { ManualClock } from '../../src/core/clock.js';
import { createApp } from '../../src/daemon/app.js';
import type { SloEvaluation } from '../../src/engine/slo-evaluation.js';
import { silentLogger } from '../../src/log.js';
import { loadSlos } from '../../src/slo/load.js';
import { startPrometheus, type PrometheusServer } from '../support/prometheus-server.js';
import type { RealisticScrapes } from '../support/realistic-scrapes.js';
import {
  day,
  errorsQuery,
  generateScenario,
  hourSeconds as hour,
  objectives,
  remainingFrom,
  scenarioEnd,
  scenarioStart,
  scrapedServices,
  totalQuery,
  writeProject,
} from './budget-fixture.js';

/**
 * The error budget at every scrape interval: burnrate's budget remaining, from `eval` and from a daemon on a fake
 * clock, on both backends, against the true event counts and against Prometheus's own
 * `increase(errors[30d]) / increase(total[30d])` on the same samples.
 */
const tolerance = 0.005;
const evalAt = Math.floor((scenarioEnd - 100) / 60) * 60;

let scenario: RealisticScrapes;
let workDir: string;
let samplesFile: string;
let prometheus: PrometheusServer;

const quiet = (out: string[]) => ({ stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => out.push(s) }, env: {} });

async function cli(args: string[]): Promise<string> {
  const out: string[] = [];
  const code = await run(args, quiet(out));
  expect(code, out.join('')).toBe(0);
  return out.join('');
}

/** A project with the samples ingested into its embedded store. */
async function project(name: string, bucket?: string): Promise<string> {
  const dir = join(workDir, name);
  const config = writeProject(dir, bucket === undefined ? {} : { bucket });
  await cli(['ingest', samplesFile, '--config', config]);
  return config;
}

/** Prometheus's own budget remaining at `at`, from increase() over the SLO window (no 5xx series yet: no errors). */
async function prometheusRemaining(service: string, at: number): Promise<number> {
  const value = async (query: string) => {
    const response = await fetch(`${prometheus.url}/api/v1/query?${new URLSearchParams({ query, time: String(at) })}`);
    const body = (await response.json()) as { data: { result: Array<{ value: [number, string] }> } };
    return Number(body.data.result[0]?.value[1] ?? 0);
  };
  const increase = (query: string) => query.replace('rate(', 'increase(');
  const ratio = (await value(increase(errorsQuery(service, '30d')))) / (await value(increase(totalQuery(service, '30d'))));
  return 1 - ratio / (1 - (objectives[service] ?? 99.9) / 100);
}

interface Row {
  slo: string;
  burnrate: number;
  truth: number;
  prometheus: number;
  coverage: number;
}

async function compare(evaluations: readonly Pick<SloEvaluation, 'slo' | 'at' | 'budget'>[]): Promise<Row[]> {
  const rows: Row[] = [];
  for (const e of evaluations) {
    const truth = remainingFrom(scenario.trueCounts(e.slo, e.at - 30 * day, e.at), objectives[e.slo] ?? 99.9);
    rows.push({ slo: e.slo, burnrate: e.budget.remaining!, truth, prometheus: await prometheusRemaining(e.slo, e.at), coverage: e.budget.coverage });
  }
  return rows;
}

function expectExact(rows: readonly Row[], label: string): void {
  console.log(
    `${label}\n${rows
      .map((r) => `  ${r.slo.padEnd(12)} burnrate ${r.burnrate.toFixed(4)}  true ${r.truth.toFixed(4)}  prometheus ${r.prometheus.toFixed(4)}  coverage ${r.coverage.toFixed(3)}`)
      .join('\n')}`,
  );
  expect(rows.map((r) => r.slo).sort()).toEqual(scrapedServices.map((s) => s.name).sort());
  for (const row of rows) {
    expect(Math.abs(row.burnrate - row.truth), `${label} ${row.slo} against the true counts`).toBeLessThanOrEqual(tolerance);
    expect(Math.abs(row.burnrate - row.prometheus), `${label} ${row.slo} against Prometheus`).toBeLessThanOrEqual(tolerance);
  }
}

beforeAll(async () => {
  scenario = generateScenario();
  workDir = mkdtempSync(join(tmpdir(), 'burnrate-budget-'));
  samplesFile = join(workDir, 'samples.om');
  writeFileSync(samplesFile, scenario.openMetrics);
  prometheus = await startPrometheus({ openMetricsFile: samplesFile });
}, 300_000);

afterAll(async () => {
  await prometheus?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('the generated scrapes', () => {
  it('are unaligned, jittered, and hold a reset, a late series and a low-traffic counter', () => {
    const lines = scenario.openMetrics.split('\n').filter((l) => l.startsWith('http_requests_total'));
    const times = (selector: string) => lines.filter((l) => l.includes(selector)).map((l) => Number(l.split(' ')[2]));
    for (const { name, interval } of scrapedServices) {
      const t = times(`service="${name}",instance="${name}-0:8080"},code="200"`.replace('},', ','));
      const gaps = t.slice(1).map((x, i) => x - t[i]!);
      expect(t.every((x) => Math.abs(x % 60) > 1e-6), `${name} never on a whole minute`).toBe(true);
      expect(Math.min(...gaps)).toBeLessThan(interval);
      expect(Math.max(...gaps.filter((g) => g < 2 * interval))).toBeGreaterThan(interval);
    }
    const restarted = lines.filter((l) => l.startsWith('http_requests_total{service="scrape-60s",instance="scrape-60s-0:8080",code="200"}')).map((l) => Number(l.split(' ')[1]));
    expect(restarted.some((v, i) => i > 0 && v < restarted[i - 1]!), 'a counter reset').toBe(true);
    const late = times('service="scrape-30s",instance="scrape-30s-0:8080",code="500"');
    expect(late[0]!).toBeGreaterThan(scenarioStart() + day);
    expect(scenario.trueCounts('low-traffic', scenarioStart(), scenarioEnd).total).toBeLessThan(20_000);
  });
});

describe('burnrate eval', () => {
  it('on the embedded store: within 0.005 of the true counts and of Prometheus, at 1m and 10s buckets', async () => {
    for (const bucket of ['1m', '10s']) {
      const config = await project(`eval-embedded-${bucket}`, bucket);
      const evaluations = JSON.parse(await cli(['eval', '--config', config, '--at', String(evalAt), '--format', 'json'])) as SloEvaluation[];
      expect(evaluations.every((e) => e.budget.exact)).toBe(true);
      expectExact(await compare(evaluations), `eval, embedded store, ${bucket} buckets, fresh database`);
    }
  }, 300_000);

  it('against Prometheus: within 0.005 of the true counts and of Prometheus itself', async () => {
    const dir = join(workDir, 'eval-prometheus');
    const config = writeProject(dir);
    const evaluations = JSON.parse(await cli(['eval', '--config', config, '--prometheus', prometheus.url, '--at', String(evalAt), '--format', 'json'])) as SloEvaluation[];
    expect(evaluations.every((e) => e.budget.exact)).toBe(true);
    expectExact(await compare(evaluations), 'eval, Prometheus backend, fresh database');
  }, 300_000);
});

describe('a daemon on a fake clock', () => {
  // From a day and 8 hours into the history (start-up backfill) through the incident and the restart, every
  // minute, with the daemon down for 47 minutes (the missed steps are replayed) and then for most of a day (longer
  // than the replay limit: the buckets of the whole gap are still read), then two more hours on day 3.
  const from = scenarioStart() + day + 8 * hour + 23;
  const until = scenarioStart() + 2 * day + 12 * hour;
  const downtimes = [
    { from: scenarioStart() + day + 10 * hour, to: scenarioStart() + day + 10 * hour + 47 * 60 },
    { from: scenarioStart() + day + 12 * hour + 30 * 60, to: scenarioStart() + 2 * day + 10 * hour },
  ];
  const isDown = (now: number) => downtimes.some((d) => now > d.from && now < d.to);
  const justBack = (now: number) => downtimes.some((d) => now >= d.to && now < d.to + 60);

  async function runDaemon(name: string, backend?: MetricBackend): Promise<Row[][]> {
    const config = await project(name);
    const loaded = loadConfig(config, true, {}, join(workDir, name), {});
    const { slos, diagnostics } = loadSlos(loaded.slos, { runbookDir: loaded.runbooks });
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const clock = new ManualClock(from);
    const app = createApp(loaded, slos, { clock, log: silentLogger, http: false, ...(backend && { backend }) });
    const checks: Row[][] = [];
    try {
      for (let now = from; now <= until; now += 60) {
        if (isDown(now)) continue;
        clock.set(now);
        const result = await app.tick();
        if (!result) continue;
        expect(result.evaluations.every((e) => e.status === 'ok'), JSON.stringify(result.evaluations.map((e) => e.error))).toBe(true);
        // Check every hour and right after each downtime.
        if (result.at % hour === 0 || justBack(now)) checks.push(await compare(result.evaluations));
      }
    } finally {
      await app.stop();
    }
    return checks;
  }

  it('on the embedded store keeps the budget within 0.005 of the truth and of Prometheus at every check', async () => {
    const checks = await runDaemon('daemon-embedded');
    expect(checks.length).toBeGreaterThanOrEqual(7);
    checks.forEach((rows, i) => expectExact(rows, `daemon, embedded store, check ${i + 1}`));
  }, 600_000);

  it('against Prometheus keeps the budget within 0.005 of the truth and of Prometheus at every check', async () => {
    const checks = await runDaemon('daemon-prometheus', createPrometheusBackend({ url: prometheus.url, timeoutSeconds: 60 }));
    expect(checks.length).toBeGreaterThanOrEqual(7);
    checks.forEach((rows, i) => expectExact(rows, `daemon, Prometheus backend, check ${i + 1}`));
  }, 600_000);
});
