import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'burnrate-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const t0 = Date.parse('2026-11-02T00:00:00Z') / 1000;

/** Prometheus text for checkout over [from, to] every 30 s: `errorRatio(t)` of 10 requests/s fail. */
function checkoutSamples(from: number, to: number, errorRatio: (t: number) => number): string {
  const lines: string[] = [];
  let ok = 0;
  let errors = 0;
  for (let t = from; t <= to; t += 30) {
    const ratio = errorRatio(t);
    errors += Math.round(300 * ratio);
    ok += 300 - Math.round(300 * ratio);
    lines.push(`http_requests_total{service="checkout",code="200"} ${ok} ${t * 1000}`);
    lines.push(`http_requests_total{service="checkout",code="500"} ${errors} ${t * 1000}`);
  }
  return lines.join('\n') + '\n';
}


describe('burnrate CLI', () => {
  it.each(['validate', 'eval', 'backtest', 'ingest', 'run'])('`%s --help` describes the command and its exit codes', async (command) => {
    const result = await runCli([command, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`Usage: burnrate ${command}`));
    expect(result.stdout).toMatch(/Exit codes:/);
  });

  it('an unknown command is a usage error', async () => {
    const result = await runCli(['evaluate']);
    expect(result.code).toBe(64);
    expect(result.stderr).toMatch(/unknown command 'evaluate'/);
  });

  it('validate passes the example SLOs and fails a bad file with file:line:col', async () => {
    expect((await runCli(['validate'])).stdout).toBe('5 valid SLOs, 0 errors, 0 warnings\n');
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'apiVersion: burnrate/v1\nkind: SLO\nmetadata: {name: x, service: x}\nspec:\n  objective: 100\n');
    const result = await runCli(['validate', bad]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`^${bad.replace(/[/.]/g, '\\$&')}:5:14 spec.objective: `, 'm'));
  });

  it('eval and backtest run on samples fed with ingest, and bad flags get clear errors', async () => {
    const db = join(dir, 'cli.db');
    const incident = (t: number) => (t >= t0 + 3600 && t < t0 + 3600 + 600 ? 1 : 0);
    const ingest = await runCli(['ingest', '-', '--db', db, '--slos', 'slos'], { stdin: checkoutSamples(t0 - 4 * 86_400, t0 + 4 * 3600, incident) });
    expect(ingest).toMatchObject({ code: 0, stderr: '' });
    expect(ingest.stdout).toMatch(/^ingested 24002 samples of 2 series/);

    const evaluation = await runCli(['eval', '--db', db, '--at', new Date((t0 + 3600 + 300) * 1000).toISOString(), '--format', 'json']);
    expect(evaluation.code).toBe(0);
    const checkout = (JSON.parse(evaluation.stdout) as Array<{ slo: string; severities: Array<{ severity: string; state: string }> }>).find(
      (e) => e.slo === 'checkout-availability',
    );
    expect(checkout?.severities.map((s) => [s.severity, s.state])).toEqual([
      ['page', 'firing'],
      ['ticket', 'firing'],
    ]);

    const replay = await runCli(['backtest', '--db', db, '--from', String(t0), '--to', String(t0 + 4 * 3600), '--format', 'json']);
    expect(replay.code).toBe(0);
    const lines = replay.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, string>);
    expect(lines.filter((l) => l.slo === 'checkout-availability' && l.severity === 'page')).toEqual([
      { slo: 'checkout-availability', severity: 'page', state: 'firing', at: '2026-11-02T01:01:00Z' },
      { slo: 'checkout-availability', severity: 'page', state: 'resolved', at: '2026-11-02T01:40:00Z' },
    ]);

    expect(await runCli(['eval', '--db', db, '--at', 'yesterday'])).toMatchObject({ code: 64, stderr: expect.stringMatching(/--at: expected RFC 3339/) });
    expect(await runCli(['backtest', '--db', db, '--from', String(t0), '--to', String(t0 + 60), '--step', '90s'])).toMatchObject({
      code: 64,
      stderr: expect.stringMatching(/step 90s must be a multiple of the bucket size 60s/),
    });
  });

  it('ingest rejects malformed samples with the line and stores nothing', async () => {
    const db = join(dir, 'bad-samples.db');
    const result = await runCli(['ingest', '-', '--db', db], { stdin: 'up 1 1000\nup{job="x" 2 2000\n' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/line 2: .*nothing was ingested/);
  });

  it('a config file with a mistake is reported with its line and exit code 1', async () => {
    const config = join(dir, 'burnrate.yaml');
    writeFileSync(config, 'evaluation:\n  bucket: 90x\n');
    const result = await runCli(['eval', '--config', config]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/burnrate\.yaml:2:11 evaluation\.bucket: expected a duration/);
  });

  it('a Prometheus that cannot be reached makes eval exit 2 and say so per SLO', async () => {
    const result = await runCli(['eval', '--prometheus', 'http://127.0.0.1:9', '--db', join(dir, 'down.db'), '--at', String(t0)]);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/checkout-availability\s+99\.9%\s+backend error\s/);
    expect(result.stdout).toMatch(/backend error: .*127\.0\.0\.1:9/);
  });
});

describe('API tokens in burnrate.yaml', () => {
  it('a token whose environment variable is not set is reported at its line', async () => {
    const config = join(dir, 'tokens.yaml');
    writeFileSync(config, 'api:\n  tokens:\n    - {name: ci, tokenEnv: BURNRATE_CI_TOKEN, scopes: [read, write]}\n');
    const result = await runCli(['eval', '--config', config]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/tokens\.yaml:3:28 api\.tokens\[0\]\.tokenEnv: environment variable BURNRATE_CI_TOKEN \(token "ci"\) is not set/);
  });
});
