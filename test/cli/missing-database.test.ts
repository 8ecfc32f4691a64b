import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'burnrate-missing-db-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const now = Date.parse('2026-11-02T12:00:00Z') / 1000;
let n = 0;
/** A database path no command has used yet. */
const fresh = () => join(dir, `db-${++n}.db`);
const refusal = (db: string) => `burnrate: cannot open ${db}: no such database (run \`burnrate run\` or \`burnrate ingest\` first, or give --db the daemon's database)\n`;

describe('a command that reads the database, given a file that does not exist', () => {
  it.each<[string, string[]]>([
    ['eval', ['eval']],
    ['backtest', ['backtest', '--from', String(now - 3600), '--to', String(now)]],
    ['report', ['report']],
    ['notifications ls', ['notifications', 'ls']],
    ['deploy ls', ['deploy', 'ls']],
    ['silence ls', ['silence', 'ls']],
    ['silence expire', ['silence', 'expire', 'sil_01']],
    ['gate log', ['gate', 'log']],
    ['gate override ls', ['gate', 'override', 'ls']],
    ['gate override expire', ['gate', 'override', 'expire', 'ovr_01']],
  ])('`%s` exits 2 with a clear message and creates nothing', async (_name, argv) => {
    const db = fresh();
    const result = await runCli([...argv, '--db', db], { now });
    expect(result).toEqual({ code: 2, stdout: '', stderr: refusal(db) });
    expect(existsSync(db)).toBe(false);
  });

  it('`gate` cannot decide (exit 2, or 0 with --fail-open), gives the same reason, and creates nothing', async () => {
    const db = fresh();
    const result = await runCli(['gate', '--service', 'checkout', '--db', db, '--format', 'json'], { now });
    expect(result.code).toBe(2);
    const answer = JSON.parse(result.stdout) as { verdict: string; reasons: string[] };
    expect(answer.verdict).toBe('unknown');
    expect(answer.reasons[0]).toContain(`cannot open ${db}: no such database`);
    expect((await runCli(['gate', '--service', 'checkout', '--db', db, '--fail-open'], { now })).code).toBe(0);
    expect(existsSync(db)).toBe(false);
  });

  it('`eval` against Prometheus needs no database, so it neither refuses nor creates one', async () => {
    const db = fresh();
    const result = await runCli(['eval', '--prometheus', 'http://127.0.0.1:9', '--db', db, '--at', String(now)], { now });
    expect(result.code).toBe(2);
    expect(result.stderr).not.toContain('no such database');
    expect(result.stdout).toMatch(/unreachable|ECONNREFUSED/);
    expect(existsSync(db)).toBe(false);
  });
});

describe('a command that records something creates the database', () => {
  it.each<[string, string[]]>([
    ['ingest', ['ingest', '-']],
    ['deploy record', ['deploy', 'record', '--service', 'checkout']],
    ['silence add', ['silence', 'add', '--matcher', 'service="checkout"', '--duration', '1h', '--author', 'ana', '--comment', 'maintenance']],
    ['gate override', ['gate', 'override', '--service', 'checkout', '--reason', 'hotfix', '--author', 'ana']],
  ])('`%s`', async (_name, argv) => {
    const db = fresh();
    const result = await runCli([...argv, '--db', db], { now, stdin: `up 1 ${now * 1000}\n` });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(existsSync(db)).toBe(true);
  });
});
