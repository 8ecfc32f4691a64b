import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedBackend } from '../../src/backends/embedded/embedded-backend.js';
import { createPrometheusBackend } from '../../src/backends/prometheus/prometheus-backend.js';
import { windowsQuery } from '../../src/engine/window-query.js';
import { openDatabase } from '../../src/store/database.js';
import { run } from '../../src/cli/main.js';
import { loadSlos } from '../../src/slo/load.js';
import type { Severity, Slo } from '../../src/slo/model.js';
import { startPrometheus, type PrometheusServer } from '../support/prometheus-server.js';
import { writeScenarioFile, type ScenarioFile } from '../support/scenario-file.js';
import { referenceTransitions, type ReferenceTransition } from '../support/workbook-reference.js';

/**
 * burnrate's backtest against Prometheus evaluating the workbook conditions itself, on the same 33 days of
 * generated history (fast burns, a slow burn, diurnal traffic, a counter reset, a low-traffic service), with
 * both backends. Every transition must match in state, and in time within one step.
 */
const day = 86_400;
const step = 60;
const end = Date.parse('2026-11-01T00:00:00Z') / 1000;
const days = 33;
// The replay starts once the longest alert window (3d) has full history; the budget window needs 30d.
const from = end - 29 * day;
const to = end - 600;

let scenario: ScenarioFile;
let prometheus: PrometheusServer;
let workDir: string;
let slos: Slo[];
let reference: ReferenceTransition[];

async function burnrateBacktest(extra: string[]): Promise<ReferenceTransition[]> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(
    ['backtest', '--from', String(from), '--to', String(to), '--step', '1m', '--format', 'json', ...extra],
    { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) }, env: {} },
  );
  expect(err.join(''), 'backtest stderr').toBe('');
  expect(code).toBe(0);
  return out
    .join('')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const parsed = JSON.parse(line) as { slo: string; severity: Severity; state: 'firing' | 'resolved'; at: string };
      expect(Object.keys(parsed)).toEqual(['slo', 'severity', 'state', 'at']);
      expect(parsed.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      return { ...parsed, at: Date.parse(parsed.at) / 1000 };
    });
}

/** Pairs each reference transition with burnrate's, per SLO and severity, in order. */
function compare(actual: ReferenceTransition[], expected: ReferenceTransition[]) {
  const key = (t: ReferenceTransition) => `${t.slo}/${t.severity}`;
  const keys = [...new Set([...actual, ...expected].map(key))].sort();
  const mismatches: string[] = [];
  let worst = 0;
  for (const k of keys) {
    const a = actual.filter((t) => key(t) === k);
    const e = expected.filter((t) => key(t) === k);
    if (a.length !== e.length) mismatches.push(`${k}: ${a.length} transitions vs ${e.length} in Prometheus`);
    for (let i = 0; i < Math.min(a.length, e.length); i++) {
      const offBy = Math.abs(a[i]!.at - e[i]!.at) / step;
      worst = Math.max(worst, offBy);
      if (a[i]!.state !== e[i]!.state || offBy > 1) {
        mismatches.push(`${k} #${i}: ${a[i]!.state} at ${new Date(a[i]!.at * 1000).toISOString()} vs ${e[i]!.state} at ${new Date(e[i]!.at * 1000).toISOString()}`);
      }
    }
  }
  return { mismatches, worst };
}

beforeAll(async () => {
  scenario = await writeScenarioFile({ end, days, scrapeInterval: 30 });
  prometheus = await startPrometheus({ openMetricsFile: scenario.path });
  workDir = mkdtempSync(join(tmpdir(), 'burnrate-agreement-'));
  const loaded = loadSlos(['slos'], { runbookDir: 'runbooks' });
  expect(loaded.diagnostics).toEqual([]);
  slos = loaded.slos;
  const backend = createPrometheusBackend({ url: prometheus.url, timeoutSeconds: 120 });
  reference = [];
  for (const slo of slos) {
    for (const severity of ['page', 'ticket'] as const) {
      reference.push(...(await referenceTransitions(backend, slo, severity, from, to, step)));
    }
  }
}, 600_000);

afterAll(async () => {
  await prometheus?.stop();
  await scenario?.remove();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('the embedded store agrees with Prometheus on the same samples', () => {
  it('evaluates every SLO query at every window within 1% of Prometheus (and almost always exactly)', async () => {
    const db = join(workDir, 'values.db');
    expect(await run(['ingest', scenario.path, '--db', db], { stdout: { write: () => true }, stderr: { write: () => true }, env: {} })).toBe(0);
    const handle = openDatabase(db);
    const embedded = createEmbeddedBackend(handle);
    const prom = createPrometheusBackend({ url: prometheus.url, timeoutSeconds: 120 });
    let compared = 0;
    let exact = 0;
    let worst = 0;
    const range = { start: end - 10 * day, end: end - 600, step: 300 };
    for (const slo of slos) {
      for (const template of [slo.indicator.numerator.template, slo.indicator.total.template]) {
        const expr = windowsQuery(template, [60, 300, 3600, 6 * 3600, 3 * day]);
        const [ours, theirs] = await Promise.all([embedded.queryRange({ expr, ...range }), prom.queryRange({ expr, ...range })]);
        const key = (labels: Readonly<Record<string, string>>) => JSON.stringify(Object.entries(labels).sort());
        expect(ours.map((series) => key(series.labels)).sort()).toEqual(theirs.map((series) => key(series.labels)).sort());
        for (const series of theirs) {
          const mine = new Map(ours.find((o) => key(o.labels) === key(series.labels))!.points.map((p) => [p.t, p.value]));
          expect(mine.size).toBe(series.points.length);
          for (const point of series.points) {
            const value = mine.get(point.t)!;
            const error = point.value === 0 ? Math.abs(value) : Math.abs(value - point.value) / Math.abs(point.value);
            worst = Math.max(worst, error);
            compared += 1;
            if (error < 1e-9) exact += 1;
          }
        }
      }
    }
    handle.close();
    console.log(`embedded vs Prometheus: ${compared} values compared, ${exact} equal to 1e-9, worst relative difference ${worst.toExponential(2)}`);
    expect(compared).toBeGreaterThan(20_000);
    expect(worst).toBeLessThan(0.01);
  }, 300_000);
});

describe('backtest agrees with Prometheus evaluating the workbook expressions', () => {
  it('the scenario makes both tiers fire and resolve, for several SLOs', () => {
    const firing = new Set(reference.filter((t) => t.state === 'firing').map((t) => `${t.slo}/${t.severity}`));
    expect(firing).toContain('checkout-availability/page');
    expect(firing).toContain('checkout-availability/ticket');
    expect(firing.size).toBeGreaterThanOrEqual(4);
  });

  it('on the Prometheus backend', async () => {
    const actual = await burnrateBacktest(['--prometheus', prometheus.url, '--db', join(workDir, 'prom.db')]);
    const { mismatches, worst } = compare(actual, reference);
    console.log(`prometheus backend: ${actual.length} transitions, ${reference.length} in Prometheus's own evaluation, worst offset ${worst} step(s)`);
    expect(mismatches).toEqual([]);
    expect(worst).toBeLessThanOrEqual(1);
    expect(actual.length).toBe(reference.length);
  }, 300_000);

  it('on the embedded store fed the same samples', async () => {
    const db = join(workDir, 'embedded.db');
    const ingest = await run(['ingest', scenario.path, '--db', db], { stdout: { write: () => true }, stderr: { write: (s: string) => process.stderr.write(s) }, env: {} });
    expect(ingest).toBe(0);
    const actual = await burnrateBacktest(['--db', db]);
    const { mismatches, worst } = compare(actual, reference);
    console.log(`embedded store: ${actual.length} transitions, ${reference.length} in Prometheus's own evaluation, worst offset ${worst} step(s)`);
    expect(mismatches).toEqual([]);
    expect(worst).toBeLessThanOrEqual(1);
  }, 300_000);
});

