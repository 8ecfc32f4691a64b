import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { benchSlos, pairCount } from '../../bench/bench-slos.js';
import { engineInMemory } from '../../bench/memory-scenario.js';
import { engineOnPrometheus } from '../../bench/prometheus-scenarios.js';
import { benchRows, header } from '../../bench/report.js';
import { writeSeriesFile } from '../../bench/series-file.js';
import { slothRuleFile, slothRuleGroups } from '../../bench/sloth-rules.js';

// Counts only: nothing here asserts on time.
const space = { services: 2, routes: 2 };
const slos = benchSlos(6, space);
const end = 100 * 86_400;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'burnrate-bench-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('bench SLOs', () => {
  it('are distinct and spread over the series space', () => {
    expect(new Set(slos.map((slo) => slo.name)).size).toBe(slos.length);
    expect(new Set(slos.map((slo) => slo.indicator.numerator.template)).size).toBe(slos.length);
    expect(slos[4]!.indicator.total.template).toBe(slos[0]!.indicator.total.template);
  });
});

describe('bench history file', () => {
  it('holds three status codes per pair over the days asked, plus one recorded ratio series per SLO', async () => {
    const path = join(dir, 'history.om');
    const summary = await writeSeriesFile(path, { space, end, days: 1, scrapeInterval: 30, seed: 1, ratioHistoryOf: slos });
    expect(summary.series).toBe(pairCount(space) * 3 + slos.length);
    // Pair 0 samples on the minute (2,881 samples in a day, both ends included), the other three 7, 14 and 21 s later (2,880).
    expect(summary.samples).toBe(3 * 2881 + 9 * 2880 + slos.length * 1440);
  });
});

describe('Sloth-style rules', () => {
  it('give each SLO three groups: 8 SLI recordings, 7 metadata recordings, a page and a ticket alert', () => {
    const groups = slothRuleGroups(slos.slice(0, 1));
    expect(groups.map((group) => group.rules.length)).toEqual([8, 7, 2]);
    const records = groups[0]!.rules.map((rule) => ('record' in rule ? rule.record : rule.alert));
    expect(records).toEqual(['5m', '30m', '1h', '2h', '6h', '1d', '3d', '30d'].map((window) => `slo:sli_error:ratio_rate${window}`));
  });

  it('load in promtool without errors', async () => {
    const path = join(dir, 'rules.yml');
    await writeFile(path, slothRuleFile(slos));
    const check = spawnSync('promtool', ['check', 'rules', path], { encoding: 'utf8' });
    expect(check.error).toBeUndefined();
    expect(`${check.stdout}${check.stderr}`).toContain(`SUCCESS: ${slos.length * 17} rules found`);
    expect((parse(slothRuleFile(slos)) as { groups: unknown[] }).groups).toHaveLength(slos.length * 3);
  });
});

describe('bench scenarios at tiny sizes', () => {
  it('engine alone: two queries per SLO per steady cycle, sixteen for the naive re-read, as the backend counted', async () => {
    const result = await engineInMemory(slos, end, 2, 1);
    expect(result.engine.startup.queries).toBe(result.engine.startup.backendRequests);
    expect(result.engine.steady.map((cycle) => [cycle.queries, cycle.backendRequests, cycle.statuses.ok])).toEqual([
      [12, 12, 6],
      [12, 12, 6],
    ]);
    expect(result.naive).toEqual([expect.objectContaining({ queries: 96, backendRequests: 96, ok: 6 })]);
    const rows = benchRows({ prometheusSlos: 0, memorySlos: slos.length, memory: result });
    expect(rows.map((row) => row.length)).toEqual([header.length, header.length, header.length]);
  });

  it('engine against Prometheus: every steady query is one HTTP request Prometheus served', async () => {
    const path = join(dir, 'engine.om');
    const now = Math.floor(Date.now() / 1000);
    await writeSeriesFile(path, { space, end: now, days: 1, scrapeInterval: 30, seed: 1 });
    const run = await engineOnPrometheus(path, slos, now, 2);
    expect(run.startup.backendRequests).toBeGreaterThanOrEqual(run.startup.queries);
    // Per SLO and steady cycle: the two windows queries and one raw-sample read per selector (errors, total).
    expect(run.steady.map((cycle) => [cycle.queries, cycle.backendRequests, cycle.statuses.ok])).toEqual([
      [24, 24, 6],
      [24, 24, 6],
    ]);
  }, 120_000);
});
