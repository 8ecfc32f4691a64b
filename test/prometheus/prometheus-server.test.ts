import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulateService, resolveScenario, serviceProfiles } from '../../src/demo/index.js';
import { startPrometheus, type PrometheusServer } from '../support/prometheus-server.js';
import { writeScenarioFile, type ScenarioFile } from '../support/scenario-file.js';

const end = 1_790_000_000;
const options = { end, days: 2, scrapeInterval: 30 };

describe('startPrometheus', () => {
  let scenario: ScenarioFile;
  let prometheus: PrometheusServer;

  beforeAll(async () => {
    scenario = await writeScenarioFile(options);
    prometheus = await startPrometheus({ openMetricsFile: scenario.path });
  });
  afterAll(async () => {
    await prometheus?.stop();
    await scenario?.remove();
  });

  it('serves the backfilled samples exactly as generated', async () => {
    const profile = serviceProfiles.find((p) => p.service === 'checkout')!;
    const ticks = [...simulateService(resolveScenario(options), profile)].map((tick) => ({ t: tick.t, ok: tick.ok }));
    expect(ticks.length).toBeGreaterThan(5000);
    const expected = ticks[3000];
    const query = new URLSearchParams({ query: 'http_requests_total{service="checkout",code="200"}', time: String(expected!.t) });
    const answer = (await (await fetch(`${prometheus.url}/api/v1/query?${query}`)).json()) as {
      data: { result: { value: [number, string] }[] };
    };
    expect(answer.data.result).toHaveLength(1);
    expect(answer.data.result[0]!.value).toEqual([expected!.t, String(expected!.ok)]);
  });

  it('says how to install Prometheus when the binary is missing', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await expect(startPrometheus({})).rejects.toThrow(/apt-get install prometheus/);
    } finally {
      process.env.PATH = path;
    }
  });

  it('evaluates rule files at the given interval and scrapes itself', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'burnrate-rules-'));
    const rules = join(dir, 'rules.yml');
    await writeFile(rules, 'groups:\n  - name: probe\n    rules:\n      - record: probe:one\n        expr: vector(1)\n');
    const server = await startPrometheus({ ruleFiles: [rules], evaluationInterval: '1s', scrapeSelf: true });
    try {
      const deadline = Date.now() + 30_000;
      let durations: unknown[] = [];
      while (Date.now() < deadline && durations.length === 0) {
        const query = new URLSearchParams({ query: 'prometheus_rule_group_last_duration_seconds{rule_group=~".*probe"}' });
        durations = ((await (await fetch(`${server.url}/api/v1/query?${query}`)).json()) as { data: { result: unknown[] } }).data.result;
        if (durations.length === 0) await new Promise((ok) => setTimeout(ok, 250));
      }
      expect(durations).toHaveLength(1);
      const groups = (await (await fetch(`${server.url}/api/v1/rules`)).json()) as { data: { groups: { name: string; interval: number }[] } };
      expect(groups.data.groups.map((g) => [g.name, g.interval])).toEqual([['probe', 1]]);
    } finally {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('stops the server and removes its data directory', async () => {
    const other = await startPrometheus({});
    expect(existsSync(other.dataDir)).toBe(true);
    expect((await fetch(`${other.url}/-/ready`)).status).toBe(200);
    await other.stop();
    expect(existsSync(other.dataDir)).toBe(false);
    await expect(fetch(`${other.url}/-/ready`)).rejects.toThrow();
  });
});
