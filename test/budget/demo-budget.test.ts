import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { resolveScenario, serviceProfiles, simulateService } from '../../src/demo/index.js';
import type { SloEvaluation } from '../../src/engine/slo-evaluation.js';
import { fillWindow } from '../../src/promql/fill-window.js';
import { loadSlos } from '../../src/slo/load.js';
import { errorBudget, type Slo } from '../../src/slo/model.js';
import { startPrometheus, type PrometheusServer } from '../support/prometheus-server.js';
import { writeScenarioFile, type ScenarioFile } from '../support/scenario-file.js';

/**
 * The demo's SLOs (35 days at a 30 s scrape, offsets off the minute, a counter reset, a low-traffic service): budget
 * remaining from `eval` on both backends, beside the generator's own counts and Prometheus's increase() over the
 * SLO's window (30 days, 28 for search-latency).
 * The README's evaluation section prints this table.
 */
const end = Date.parse('2026-11-23T09:00:00Z') / 1000;
const root = join(import.meta.dirname, '../..');

let scenario: ScenarioFile;
let prometheus: PrometheusServer;
let dir: string;
let slos: Slo[];

beforeAll(async () => {
  scenario = await writeScenarioFile({ end, days: 35, scrapeInterval: 30 });
  prometheus = await startPrometheus({ openMetricsFile: scenario.path });
  dir = mkdtempSync(join(tmpdir(), 'burnrate-demo-budget-'));
  slos = loadSlos([join(root, 'slos')], { runbookDir: join(root, 'runbooks') }).slos;
}, 300_000);

afterAll(async () => {
  await prometheus?.stop();
  await scenario?.remove();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Bad and total events in (from, to], counted by the generator as it drew them. */
function generated(slo: Slo, from: number, to: number): { errors: number; total: number } {
  const service = serviceProfiles.find((p) => p.service === slo.service)!;
  let errors = 0;
  let total = 0;
  for (const tick of simulateService(resolveScenario({ end, days: 35, scrapeInterval: 30 }), service)) {
    if (tick.t <= from || tick.t > to) continue;
    if (slo.name === 'search-latency') {
      const [fast, ok, slow, slowest] = tick.interval.latency!.buckets;
      errors += slow + slowest;
      total += fast + ok + slow + slowest;
    } else {
      errors += tick.interval.errors;
      total += tick.interval.ok + tick.interval.errors;
    }
  }
  return { errors, total };
}

async function instant(query: string): Promise<number> {
  const response = await fetch(`${prometheus.url}/api/v1/query?${new URLSearchParams({ query, time: String(end) })}`);
  const body = (await response.json()) as { data: { result: Array<{ value: [number, string] }> } };
  return Number(body.data.result[0]?.value[1] ?? 0);
}

/** Prometheus's own budget remaining: the SLO's queries as increase() over its window. */
async function prometheusRemaining(slo: Slo): Promise<number> {
  const overWindow = (template: string) => fillWindow(template, slo.window).replaceAll('rate(', 'increase(');
  const numerator = await instant(overWindow(slo.indicator.numerator.template));
  const total = await instant(overWindow(slo.indicator.total.template));
  const errors = slo.indicator.numeratorKind === 'errors' ? numerator : total - numerator;
  return 1 - errors / total / errorBudget(slo);
}

async function evalJson(extra: string[]): Promise<SloEvaluation[]> {
  const out: string[] = [];
  const io = { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => out.push(s) }, env: {} };
  expect(await run(['eval', '--at', String(end), '--format', 'json', ...extra], io), out.join('')).toBe(0);
  return JSON.parse(out.join('')) as SloEvaluation[];
}

describe("the demo's budgets", () => {
  it('eval on both backends is within 0.005 of the generator\'s counts and of Prometheus', async () => {
    const db = join(dir, 'demo.db');
    const quiet = { stdout: { write: () => true }, stderr: { write: () => true }, env: {} };
    expect(await run(['ingest', scenario.path, '--db', db], quiet)).toBe(0);
    const embedded = await evalJson(['--db', db]);
    const viaPrometheus = await evalJson(['--prometheus', prometheus.url]);
    const rows: string[] = ['| SLO | burnrate (embedded) | burnrate (Prometheus) | generator\'s counts | Prometheus `increase(…[window])` |', '|---|---|---|---|---|'];
    for (const slo of slos) {
      const counts = generated(slo, end - slo.window, end);
      const truth = 1 - counts.errors / counts.total / errorBudget(slo);
      const theirs = await prometheusRemaining(slo);
      const mine = embedded.find((e) => e.slo === slo.name)!.budget;
      const mineProm = viaPrometheus.find((e) => e.slo === slo.name)!.budget;
      const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
      rows.push(`| ${slo.name} | ${pct(mine.remaining!)} | ${pct(mineProm.remaining!)} | ${pct(truth)} | ${pct(theirs)} |`);
      for (const [label, value] of [['embedded', mine.remaining!], ['prometheus backend', mineProm.remaining!]] as const) {
        expect(Math.abs(value - truth), `${slo.name} ${label} vs the generator`).toBeLessThanOrEqual(0.005);
        expect(Math.abs(value - theirs), `${slo.name} ${label} vs Prometheus`).toBeLessThanOrEqual(0.005);
      }
      expect(mine.exact && mineProm.exact).toBe(true);
    }
    console.log(rows.join('\n'));
  }, 300_000);
});
