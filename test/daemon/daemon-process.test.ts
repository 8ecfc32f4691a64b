import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, pollUntil } from '../support/local-process.js';

const dir = mkdtempSync(join(tmpdir(), 'burnrate-daemon-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** The built binary, as a user runs it. */
function startDaemon(db: string, port: number) {
  const child = spawn(process.execPath, ['bin/burnrate.js', 'run', '--db', db, '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let logs = '';
  child.stderr.on('data', (chunk: Buffer) => (logs += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, logs: () => logs };
}

describe('burnrate run (the daemon process)', () => {
  it('accepts pushed samples, evaluates, and on SIGTERM finishes its cycle and closes the database cleanly', async () => {
    const db = join(dir, 'daemon.db');
    const port = await freePort();
    const daemon = startDaemon(db, port);
    const base = `http://127.0.0.1:${port}`;
    await pollUntil('readiness', async () => ((await fetch(`${base}/readyz`)).ok ? true : undefined));

    const now = Date.now();
    const body = [0, 15, 30, 45, 60].map((ago) => `http_requests_total{service="checkout",code="200"} ${1000 - ago} ${now - ago * 1000}`).join('\n');
    const pushed = await fetch(`${base}/api/v1/ingest`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body });
    expect(pushed.status).toBe(200);
    expect(await pushed.json()).toMatchObject({ series: 1, samples: 5 });

    const rejected = await fetch(`${base}/api/v1/ingest`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'up{ 1\n' });
    expect(rejected.status).toBe(400);
    expect(((await rejected.json()) as { error: { code: string } }).error.code).toBe('bad_samples');

    const slos = (await (await fetch(`${base}/api/v1/slos`)).json()) as { slos: Array<{ name: string; status: string }> };
    expect(slos.slos.map((s) => s.name)).toContain('checkout-availability');
    expect(slos.slos.every((s) => s.status !== 'pending')).toBe(true);

    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toBe(0);
    expect(daemon.logs()).toMatch(/"msg":"stopped"/);
    // A clean close checkpoints the write-ahead log and removes it.
    expect(existsSync(`${db}-wal`)).toBe(false);
    const stored = new Database(db, { readonly: true }).prepare('SELECT count(*) AS n FROM evaluations').get() as { n: number };
    expect(stored.n).toBeGreaterThanOrEqual(5);
  }, 60_000);
});
