import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { ManualClock } from '../../src/core/clock.js';
import { createApp, type App } from '../../src/daemon/app.js';
import { silentLogger } from '../../src/log.js';
import { loadSlos } from '../../src/slo/load.js';
import { startPrometheus, type PrometheusServer } from '../support/prometheus-server.js';
import { canaryProject, deployedAt, type CanaryProject } from './canary-fixture.js';
import { cli, minute } from './verify-fixture.js';

/**
 * `burnrate verify --canary` on the scenario of canary-fixture.ts: the CLI on the embedded store and on a real
 * Prometheus fed the same samples, then GET and POST /api/v1/verify on a running daemon.
 */
let project: CanaryProject;
let prometheus: PrometheusServer;

beforeAll(async () => {
  project = await canaryProject();
  prometheus = await startPrometheus({ openMetricsFile: project.samples });
}, 300_000);

afterAll(async () => {
  await prometheus?.stop();
  if (project) rmSync(project.dir, { recursive: true, force: true });
});

interface Side {
  from: string;
  to: string;
  errors: number;
  total: number;
  errorRatio: number;
}

const backends = [
  ['the embedded store', () => [] as string[]],
  ['a real Prometheus', () => ['--prometheus', prometheus.url]],
] as const;

describe.each(backends)('burnrate verify --canary on %s', (_name, backendFlags) => {
  const verify = (args: string[], now: number) => cli(['verify', '--config', project.config, ...backendFlags(), ...args], now);

  it("is inconclusive while shop's canary has fewer than 5,000 events, however bad its 2% looks", async () => {
    const result = await verify(['--service', 'shop', '--canary', '--format', 'json'], deployedAt + 12 * minute);
    expect(result.code, result.stderr).toBe(2);
    const answer = JSON.parse(result.stdout);
    expect(answer).toMatchObject({ verdict: 'inconclusive', baseline: 'stable' });
    const [slo] = answer.slos;
    expect(slo.canary.total).toBeLessThan(5000);
    expect(slo.stable.total).toBeGreaterThan(5000);
    expect(slo.reason).toMatch(/^not enough traffic: [\d,]+ events in the canary, [\d,]+ in stable; 5,000 needed on each side$/);
  });

  it("fails shop's canary (2% against 0.1%) once it has its events, counting each track's own events over the same period", async () => {
    const result = await verify(['--service', 'shop', '--canary', '--format', 'json'], deployedAt + 25 * minute);
    expect(result.code, result.stderr).toBe(1);
    const answer = JSON.parse(result.stdout);
    expect(answer).toMatchObject({ verdict: 'fail', baseline: 'stable', service: 'shop' });
    const [slo] = answer.slos as Array<{ slo: string; canary: Side; stable: Side; confidence: number }>;
    expect(slo!.slo).toBe('shop-availability');
    expect(slo!.canary.from).toBe(slo!.stable.from);
    expect(slo!.canary.to).toBe(slo!.stable.to);
    // The counts are the events that happened on each track (counter increments; a scrape interval of slack at each edge).
    for (const [track, side] of [['shop-canary', slo!.canary], ['shop-stable', slo!.stable]] as const) {
      const truth = project.scenario.trueCounts(track, Date.parse(side.from) / 1000, Date.parse(side.to) / 1000);
      expect(Math.abs(side.total - truth.total) / truth.total).toBeLessThan(0.05);
      expect(Math.abs(side.errors - truth.errors)).toBeLessThanOrEqual(Math.max(3, 0.1 * truth.errors));
    }
    expect(slo!.canary.total).toBeGreaterThan(5000);
    expect(slo!.canary.errorRatio).toBeGreaterThan(0.015);
    expect(slo!.stable.errorRatio).toBeLessThan(0.002);
    expect(answer.reasons[0]).toMatch(
      /^shop-availability: fail: error ratio [\d.]+% \([\d,]+ of [\d,]+\) in the canary against 0\.\d+% \([\d,]+ of [\d,]+\) in stable, burn rate [\d.]+×, higher with >?[\d.]+% confidence$/,
    );
  });

  it("passes cart's canary, as healthy as its stable track, and says so in the table", async () => {
    const result = await verify(['--service', 'cart', '--baseline', 'stable'], deployedAt + 25 * minute);
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toMatch(/^PASS \(so far\): cart v3\.1\.0-canary \(deploy \S+, \d+m( \d+s)? ago\), canary against stable over 2\dm of 30m after it\n/);
    expect(result.stdout).toMatch(/\n {2}SLO +verdict +stable +canary +burn canary +confidence\n {2}cart-availability +pass +0\.\d+% [\d,]+\/[\d,]+ +0\.\d+% [\d,]+\/[\d,]+ +0\.\d\dx +\S+\n/);
    expect(result.stdout).toMatch(/ {2}every SLO of cart passed, canary against stable, over 2\dm of 30m \(so far\)\n$/);
  });
});

describe('burnrate verify --canary refuses what it cannot compare', () => {
  it('a service none of whose SLOs declares spec.tracks: unverified (2), naming spec.tracks', async () => {
    const result = await cli(['verify', '--config', project.config, '--service', 'search', '--canary'], deployedAt + 25 * minute);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no SLO of "search" declares spec.tracks (search-availability)');
  });

  it('--canary with another baseline: usage error 64', async () => {
    const result = await cli(['verify', '--config', project.config, '--service', 'shop', '--canary', '--baseline', 'week'], deployedAt + 25 * minute);
    expect(result.code).toBe(64);
    expect(result.stderr).toContain('--canary compares with stable: give it without --baseline week');
  });
});

describe('GET and POST /api/v1/verify with canary=true', () => {
  let app: App;
  let base: string;

  beforeAll(async () => {
    const config = loadConfig(project.config, true, {}, project.dir, {});
    const { slos } = loadSlos(config.slos, { runbookDir: config.runbooks });
    app = createApp({ ...config, evaluation: { ...config.evaluation, schedule: '0 0 1 1 *' } }, slos, {
      clock: new ManualClock(deployedAt + 25 * minute),
      log: silentLogger,
      listen: { host: '127.0.0.1', port: 0 },
    });
    await app.start();
    base = app.address()!;
  }, 300_000);

  afterAll(async () => {
    await app?.stop();
  });

  const get = async (query: string) => {
    const response = await fetch(`${base}/api/v1/verify?${query}`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it("answers shop's canary as a fail against stable in JSON, and 409 with status=verdict", async () => {
    const answer = await get('service=shop&canary=true');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ verdict: 'fail', baseline: 'stable' });
    expect((answer.body['slos'] as Array<Record<string, unknown>>)[0]).toHaveProperty('canary');
    expect((await get('service=shop&canary=true&status=verdict')).status).toBe(409);
    expect((await get('service=cart&baseline=stable&status=verdict')).status).toBe(200);
  });

  it('takes canary: "true" from a Flagger webhook\'s metadata', async () => {
    const response = await fetch(`${base}/api/v1/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'shop', namespace: 'prod', phase: 'Progressing', metadata: { service: 'shop', canary: 'true' } }),
    });
    expect(response.status).toBe(409);
    expect(((await response.json()) as { baseline: string }).baseline).toBe('stable');
  });

  it.each([
    ['a service without spec.tracks', 'service=search&canary=true', 422, 'no_tracks'],
    ['canary=true with another baseline', 'service=shop&canary=true&baseline=before', 400, 'invalid_query'],
    ['canary=yes', 'service=shop&canary=yes', 400, 'invalid_query'],
  ])('refuses %s', async (_sentence, query, status, code) => {
    const answer = await get(query);
    expect(answer.status).toBe(status);
    expect((answer.body as { error: { code: string; message: string } }).error.code).toBe(code);
  });
});
