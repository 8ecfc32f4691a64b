import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * A silence whose regex backtracks catastrophically (`(.*.*)*x`, exponential in the value's length for a
 * backtracking engine) is tried against every firing alert at each delivery beat. With RE2 it costs a pass over
 * each value, and the daemon keeps answering /healthz.
 */
const dir = mkdtempSync(join(tmpdir(), 'burnrate-regex-daemon-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const bin = resolve('bin/burnrate.js');
const token = 'write-token-0123456789abcdef';
const services = Array.from({ length: 12 }, (_, i) => `checkout-service-number-${i}-with-a-long-name`);

function writeProject(): void {
  mkdirSync(join(dir, 'slos'));
  mkdirSync(join(dir, 'runbooks'));
  writeFileSync(join(dir, 'runbooks', 'checkout.md'), '# Checkout\n\nRoll back the last deploy.\n');
  writeFileSync(
    join(dir, 'burnrate.yaml'),
    [
      'evaluation: {schedule: "*/2 * * * * *", bucket: 10s}',
      'api:',
      '  tokens:',
      '    - {name: ci, tokenEnv: BURNRATE_TEST_TOKEN, scopes: [read, write]}',
    ].join('\n'),
  );
  const slos = services.map((service) =>
    [
      'apiVersion: burnrate/v1',
      'kind: SLO',
      'metadata:',
      `  name: ${service}-availability`,
      `  service: ${service}`,
      'spec:',
      '  objective: 99',
      '  window: 30d',
      '  indicator:',
      '    ratio:',
      `      errors: sum(rate(http_requests_total{service="${service}",code=~"5.."}[{{window}}]))`,
      `      total: sum(rate(http_requests_total{service="${service}"}[{{window}}]))`,
      '  alerting:',
      '    page: {runbook: checkout.md}',
      '    ticket: {runbook: checkout.md}',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'slos', 'many.yaml'), slos.join('\n---\n'));
}

/** Two hours of failing requests for every service, every 15 s, ending now. */
function failingSamples(now: number): string {
  const lines: string[] = [];
  for (const service of services) {
    for (let ago = 7200, n = 0; ago >= 0; ago -= 15, n++) lines.push(`http_requests_total{service="${service}",code="500"} ${n * 100} ${now - ago * 1000}`);
  }
  return `${lines.join('\n')}\n`;
}

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? done(address.port) : fail(new Error('no port'))));
    });
  });
}

async function pollUntil<T>(what: string, probe: () => Promise<T | undefined>, deadlineMs = 30_000): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe().catch((error: unknown) => {
      if ((error as Error).message.startsWith('the daemon exited')) throw error;
      return undefined;
    });
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 200));
  }
}

const env = { ...process.env, BURNRATE_TEST_TOKEN: token };

describe('a catastrophic silence regex and many firing alerts', () => {
  it('leave /healthz answering within its deadline (silences added through the API and the CLI)', async () => {
    writeProject();
    const db = join(dir, 'burnrate.db');
    const ingest = spawnSync(process.execPath, [bin, 'ingest', '--db', db, '-'], { cwd: dir, env, input: failingSamples(Date.now()), encoding: 'utf8' });
    expect(ingest.stderr).toBe('');
    expect(ingest.status).toBe(0);

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const daemon = spawn(process.execPath, [bin, 'run', '--db', db, '--listen', `127.0.0.1:${port}`], { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
    children.push(daemon);
    let logs = '';
    daemon.stderr?.on('data', (chunk: Buffer) => (logs += chunk.toString()));

    const firing = await pollUntil('firing alerts', async () => {
      if (daemon.exitCode !== null) throw new Error(`the daemon exited with ${daemon.exitCode}`);
      const response = await fetch(`${base}/api/v1/alerts?state=firing`, { headers: { authorization: `Bearer ${token}` } });
      const { alerts } = (await response.json()) as { alerts: unknown[] };
      return alerts.length >= services.length ? alerts.length : undefined;
    }, 60_000).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n${logs}`);
    });
    expect(firing).toBeGreaterThanOrEqual(services.length);

    const added = await fetch(`${base}/api/v1/silences`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ matchers: ['slo=~"(.*.*)*x"'], duration: '1h', createdBy: 'test', comment: 'catastrophic for a backtracking engine' }),
    });
    expect(added.status).toBe(201);
    const cli = spawnSync(process.execPath, [bin, 'silence', 'add', '--db', db, '-m', 'service=~"(a|aa|.)+b"', '-m', 'severity=~"((p*)*)*g"', '--duration', '1h', '--author', 'test', '--comment', 'nested quantifiers'], { cwd: dir, env, encoding: 'utf8', timeout: 30_000 });
    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(0);

    // Several delivery beats (one a second) with both silences active: each probe must answer within a second.
    const latencies: number[] = [];
    for (let probe = 0; probe < 8; probe++) {
      const started = performance.now();
      const health = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(1000) });
      latencies.push(performance.now() - started);
      expect(health.status).toBe(200);
      await new Promise((done) => setTimeout(done, 500));
    }
    expect(Math.max(...latencies)).toBeLessThan(1000);

    // The silences were tried: neither matches, so the alerts still fire and the API still answers.
    const listed = (await (await fetch(`${base}/api/v1/silences`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(2000) })).json()) as { silences: unknown[] };
    expect(listed.silences).toHaveLength(2);
    daemon.kill('SIGTERM');
  }, 120_000);
});
