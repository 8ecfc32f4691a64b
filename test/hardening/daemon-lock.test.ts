import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { logLines, startDaemon, type DaemonRun } from '../crash/daemon.js';

/**
 * Two daemons on one database corrupt each other's cycles, so the second refuses to start and names the first;
 * a daemon killed with SIGKILL leaves no lock behind. The CLI's writes (silence add, deploy record, gate
 * override, ingest) go into the database of a running daemon evaluating every second, all of them at once,
 * without one "database is locked".
 */
const dir = mkdtempSync(join(tmpdir(), 'burnrate-daemon-lock-'));
const root = resolve(import.meta.dirname, '..', '..');
const slos = join(dir, 'slos');
const runbooks = join(dir, 'runbooks');
mkdirSync(slos);
mkdirSync(runbooks);
copyFileSync(join(root, 'slos', 'payments.yaml'), join(slos, 'payments.yaml'));
for (const name of ['checkout-availability.md', 'ledger-availability.md']) copyFileSync(join(root, 'runbooks', name), join(runbooks, name));
const config = join(dir, 'burnrate.yaml');
// Every second: cycles write as often as they can, to meet the CLI's writes.
writeFileSync(config, `slos: ${slos}\nrunbooks: ${runbooks}\nevaluation:\n  schedule: "* * * * * *"\n`);
const db = join(dir, 'burnrate.db');

const daemons: DaemonRun[] = [];
afterAll(() => {
  for (const daemon of daemons) daemon.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function daemon(database = db): DaemonRun {
  const run = startDaemon({ config, db: database, slos, env: {} });
  daemons.push(run);
  return run;
}

function cli(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'burnrate.js'), ...args, '--config', config, '--db', db], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => done({ code, stderr }));
  });
}

async function waitFor<T>(what: string, probe: () => T | undefined, deadlineMs = 60_000): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

const plainLines = (stderr: string) => stderr.split('\n').filter((line) => line !== '' && !line.startsWith('{'));

describe('one daemon per database', () => {
  let first: DaemonRun;

  it('a second daemon on the same database refuses to start, naming the first one\'s pid, host and start time', async () => {
    first = daemon();
    await first.listening;
    const second = daemon();
    const ended = await second.exited;
    expect(ended.code).toBe(2);
    expect(plainLines(second.logs())).toEqual([
      expect.stringMatching(
        new RegExp(`^burnrate: another burnrate daemon \\(pid ${first.child.pid} on ${hostname()}, started \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\) is using ${db}: stop it first, or give this daemon its own --db$`),
      ),
    ]);
    expect(first.child.exitCode).toBeNull();
  }, 90_000);

  it('the same database through a symbolic link is the same database', async () => {
    const link = join(dir, 'link.db');
    symlinkSync(db, link);
    const third = daemon(link);
    expect((await third.exited).code).toBe(2);
    expect(third.logs()).toContain(`another burnrate daemon (pid ${first.child.pid}`);
  }, 90_000);

  it('deleting the lock file under a running daemon does not let a second one start: the database names the first', async () => {
    rmSync(`${db}.lock`);
    const fourth = daemon();
    expect((await fourth.exited).code).toBe(2);
    expect(plainLines(fourth.logs())).toEqual([
      expect.stringMatching(new RegExp(`^burnrate: another burnrate daemon \\(pid ${first.child.pid} on .*\\) is using ${db}, though its lock file ${db}\\.lock was removed: stop it first`)),
    ]);
    expect(first.child.exitCode).toBeNull();
  }, 90_000);

  it('CLI writes beside the running daemon all succeed, at once, without "database is locked"', async () => {
    const now = Date.now();
    const writes: string[][] = [];
    for (let i = 0; i < 4; i++) {
      const samples = join(dir, `samples-${i}.prom`);
      writeFileSync(samples, [0, 15, 30].map((ago) => `http_requests_total{service="checkout",code="200",instance="i${i}"} ${1000 - ago} ${now - ago * 1000}`).join('\n') + '\n');
      writes.push(['silence', 'add', '--matcher', `slo="checkout-availability"`, '--duration', '1h', '--author', `ana-${i}`, '--comment', 'maintenance']);
      writes.push(['deploy', 'record', '--service', 'checkout', '--version', `v1.${i}.0`, '--finished-at', String(Math.floor(now / 1000) - i)]);
      writes.push(['gate', 'override', '--service', 'checkout', '--reason', 'hotfix', '--author', `ben-${i}`, '--for', '1h']);
      writes.push(['ingest', samples]);
    }
    const cyclesBefore = logLines(first.logs(), 'evaluation cycle finished').length;
    const results = await Promise.all(writes.map((args) => cli(args)));
    for (const [index, result] of results.entries()) {
      expect({ args: writes[index]!.slice(0, 2), code: result.code, stderr: plainLines(result.stderr) }).toEqual({ args: writes[index]!.slice(0, 2), code: 0, stderr: [] });
      expect(result.stderr).not.toMatch(/locked|busy/i);
    }
    // The daemon went on evaluating meanwhile, and logged no storage fault.
    await waitFor('a cycle after the writes', () => (logLines(first.logs(), 'evaluation cycle finished').length > cyclesBefore ? true : undefined));
    expect(first.logs()).not.toMatch(/database is locked|SQLITE_BUSY/);
    const stored = new Database(db, { readonly: true });
    const count = (table: string) => (stored.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    expect([count('silences'), count('deploys'), count('gate_overrides')]).toEqual([4, 4, 4]);
    stored.close();
  }, 180_000);

  it('a daemon killed with SIGKILL leaves no lock behind: the next one starts', async () => {
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const next = daemon();
    await next.listening;
    next.child.kill('SIGTERM');
    expect((await next.exited).code).toBe(0);
    expect(next.logs()).not.toContain('another burnrate daemon');
  }, 90_000);
});
