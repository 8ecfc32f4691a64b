import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrometheus, type PrometheusServer } from '../support/prometheus-server.js';
import { cli, deployedAt, minute, scenarioEnd as end, verifyProject, type VerifyProject } from './verify-fixture.js';

/**
 * `burnrate verify` on the scenario of verify-fixture.ts, on the embedded store and on a real Prometheus fed the
 * same samples.
 */
let project: VerifyProject;
let prometheus: PrometheusServer;

beforeAll(async () => {
  project = await verifyProject();
  prometheus = await startPrometheus({ openMetricsFile: project.samples });
}, 300_000);

afterAll(async () => {
  await prometheus?.stop();
  if (project) rmSync(project.dir, { recursive: true, force: true });
});

const backends = [
  ['the embedded store', () => [] as string[]],
  ['a real Prometheus', () => ['--prometheus', prometheus.url]],
] as const;

describe.each(backends)('burnrate verify on %s', (_name, backendFlags) => {
  const verify = (args: string[], now: number) => cli(['verify', '--config', project.config, ...backendFlags(), ...args], now);

  it('fails the deploy that lifted checkout from 0.1% to 0.5%, naming the SLO, both ratios, the counts and the confidence', async () => {
    const result = await verify(['--service', 'checkout', '--deploy', project.deployIds.get('checkout')!, '--for', '10m', '--format', 'json'], deployedAt + 11 * minute);
    expect(result.code, result.stderr).toBe(1);
    const answer = JSON.parse(result.stdout);
    expect(answer.verdict).toBe('fail');
    expect(answer.deploy).toMatchObject({ id: project.deployIds.get('checkout'), version: 'v2.14.0', author: 'ana' });
    expect(answer.watchedSeconds).toBe(600);
    const [slo] = answer.slos;
    expect(slo.slo).toBe('checkout-availability');
    // The compared counts are the events that happened (counter increments; a scrape interval of slack at each edge).
    const truth = (from: string, to: string) => project.scenario.trueCounts('checkout', Date.parse(from) / 1000, Date.parse(to) / 1000);
    for (const side of [slo.before, slo.after]) {
      const counted = truth(side.from, side.to);
      expect(Math.abs(side.total - counted.total) / counted.total).toBeLessThan(0.05);
      expect(Math.abs(side.errors - counted.errors)).toBeLessThanOrEqual(Math.max(3, 0.1 * counted.errors));
    }
    expect(slo.after.errorRatio).toBeGreaterThan(0.003);
    expect(slo.before.errorRatio).toBeLessThan(0.002);
    expect(slo.confidence).toBeGreaterThan(0.999);
    expect(answer.reasons[0]).toMatch(/^checkout-availability: fail: error ratio 0\.\d+% \([\d,]+ of [\d,]+\) against 0\.\d+% \([\d,]+ of [\d,]+\), burn rate [\d.]+×, higher with >?[\d.]+% confidence$/);
  });

  it('with --wait, fails within 10 minutes of the deploy, long before a burn-rate tier would fire', async () => {
    const result = await verify(['--service', 'checkout', '--wait'], deployedAt + minute);
    expect(result.code, result.stdout).toBe(1);
    expect(result.stdout).toMatch(/^FAIL: checkout v2\.14\.0 \(deploy \S+ by ana, \d+m( \d+s)? ago\)/);
    expect(result.endedAt - deployedAt).toBeLessThanOrEqual(10 * minute);
  });

  it('passes the deploy that changed nothing, once its period is over', async () => {
    const result = await verify(['--service', 'search', '--format', 'json'], deployedAt + 31 * minute);
    expect(result.code, result.stdout).toBe(0);
    const answer = JSON.parse(result.stdout);
    expect(answer).toMatchObject({ verdict: 'pass', complete: true, watchedSeconds: 1800 });
    expect(answer.reasons).toEqual(['every SLO of search passed over 30m']);
  });

  it('is inconclusive at one request a second, even with four times the errors', async () => {
    const result = await verify(['--service', 'quiet', '--format', 'json'], deployedAt + 31 * minute);
    expect(result.code, result.stdout).toBe(2);
    const answer = JSON.parse(result.stdout);
    expect(answer.verdict).toBe('inconclusive');
    expect(answer.slos[0].reason).toMatch(/^not enough traffic: [\d,]+ events after, [\d,]+ before; 5,000 needed on each side$/);
  });

  it('compares from --since when no deploy was recorded', async () => {
    const result = await verify(['--service', 'checkout', '--since', new Date(deployedAt * 1000).toISOString(), '--for', '10m'], deployedAt + 20 * minute);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^FAIL: checkout since 2026-11-24T14:03:17Z, 10m after it against as long right before it\n/);
  });
});

describe('burnrate verify refuses what it cannot verify', () => {
  it.each([
    ['an unknown service', ['--service', 'nope'], /no SLO has service "nope" \(services: checkout, quiet, search\)/],
    ['an unknown deploy', ['--service', 'checkout', '--deploy', 'd-none'], /no deploy with id "d-none" is recorded/],
    ['both --deploy and --since', ['--service', 'checkout', '--deploy', 'x', '--since', '1h'], /--deploy and --since: give one, not both/],
    ['a period under a minute', ['--service', 'checkout', '--for', '30s'], /--for: expected a duration from 1m to 1d \(e\.g\. 10m, 2h\), got "30s"/],
    ['a period over a day', ['--service', 'checkout', '--since', '0', '--for', '20000d'], /--for: expected a duration from 1m to 1d/],
    ['a time to compare from far in the future', ['--service', 'checkout', '--since', '2099-01-01T00:00:00Z', '--wait'], /the time to compare from is \d+ s ahead of now; at most 300 s \(clock skew\) is allowed/],
    ['an unknown baseline', ['--service', 'checkout', '--baseline', 'yesterday'], /--baseline: expected before, week or stable, got "yesterday"/],
  ])('%s: usage error 64', async (_sentence, args, message) => {
    const result = await cli(['verify', '--config', project.config, ...args], end);
    expect(result.code).toBe(64);
    expect(result.stderr).toMatch(message);
  });

  it('SLO files or config with errors leave the deploy unverified (2), never failed (1)', async () => {
    const result = await cli(['verify', '--config', project.config, '--slos', '/nonexistent-slos', '--service', 'checkout'], end);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^burnrate: cannot verify: /);
  });

  it('without a database to look the deploy up in, says so (2) rather than that no deploy is recorded', async () => {
    const result = await cli(['verify', '--config', project.config, '--db', '/tmp/burnrate-no-such.db', '--prometheus', prometheus.url, '--service', 'checkout'], end);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cannot look up deploys: cannot open /tmp/burnrate-no-such.db: no such database');
  });

  it("on a shard, sends another shard's service there (64) instead of finding no deploy", async () => {
    // checkout is shard 0 of 2 (sha256 "checkout" starts c7761e58, an even number).
    const config = join(project.dir, 'shard-1.yaml');
    writeFileSync(config, `${readFileSync(project.config, 'utf8')}\nsharding: {index: 1, count: 2}\n`);
    const result = await cli(['verify', '--config', config, '--service', 'checkout'], end);
    expect(result).toMatchObject({ code: 64, stderr: 'burnrate: service "checkout" is evaluated by shard 0 of 2, not by this one (shard 1): ask that shard\n' });
  });

  it("a deploy of another service is not this service's", async () => {
    const result = await cli(['verify', '--config', project.config, '--service', 'checkout', '--deploy', project.deployIds.get('search')!], end);
    expect(result.code).toBe(64);
    expect(result.stderr).toContain(`deploy "${project.deployIds.get('search')}" is of service "search", not "checkout"`);
  });
});

describe('burnrate verify and a deploy recorded a little ahead of its clock', () => {
  it('takes it as the latest deploy (not an older one that would pass), with nothing to compare yet', async () => {
    const recorded = await cli(['deploy', 'record', '--config', project.config, '--service', 'quiet', '--version', 'v3.0.0', '--finished-at', String(Math.round(end) + 120)], end);
    expect(recorded.code, recorded.stderr).toBe(0);
    const result = await cli(['verify', '--config', project.config, '--service', 'quiet', '--format', 'json'], end);
    expect(result.code).toBe(2);
    const answer = JSON.parse(result.stdout);
    expect(answer.deploy.version).toBe('v3.0.0');
    expect(answer.slos[0].reason).toBe('no complete bucket since the deploy yet');
  });
});
