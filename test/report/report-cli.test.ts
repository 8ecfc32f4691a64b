import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { registerReport } from '../../src/cli/commands/report.js';
import { CliError } from '../../src/cli/io.js';
import { loadSlos } from '../../src/slo/load.js';
import { openDatabase } from '../../src/store/database.js';
import { sampleBounds } from './sample-report.js';
import { day, hour, syntheticHistory } from './synthetic-history.js';

const dir = mkdtempSync(join(tmpdir(), 'burnrate-report-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The report command under a program with the global flags, as main.ts builds it. */
async function report(argv: string[], now: number): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  let code = 0;
  const io = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env: {} };
  const program = new Command('burnrate').option('--config <file>').option('--slos <dir>').option('--prometheus <url>').option('--db <file>').exitOverride();
  registerReport(program, io, (c) => (code = c), () => now);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    stderr += error.message;
    code = error.exitCode;
  }
  return { code, stdout, stderr };
}

describe('burnrate report', () => {
  const dbFile = join(dir, 'burnrate.db');
  const slosDir = join(import.meta.dirname, '../../slos');
  const [checkout] = loadSlos([slosDir], { runbookDir: join(import.meta.dirname, '../../runbooks') }).slos.filter((s) => s.name === 'checkout-availability');
  const db = openDatabase(dbFile);
  const { start, end } = sampleBounds;
  syntheticHistory({ db, slo: checkout!, from: start - 31 * day, to: end, total: () => 500, errorsAt: (t) => (t > start + day && t <= start + day + 2 * hour ? 100 : 0) });
  db.close();
  const now = end + 9 * hour;

  it('--out writes a complete HTML file with the charts inline', async () => {
    const out = join(dir, 'report.html');
    const result = await report(['report', '--week', '2026-W46', '--team', 'payments', '--out', out, '--db', dbFile, '--slos', slosDir], now);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(`wrote ${out}: payments, 2026-W46\n`);
    const html = readFileSync(out, 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(html).toContain('checkout-availability');
    expect(html).toContain('ledger-availability');
    expect(html.match(/<img src="data:image\/svg\+xml;base64,/g)).toHaveLength(4);
    const svg = Buffer.from(/<img src="data:image\/svg\+xml;base64,([^"]+)"/.exec(html)![1]!, 'base64').toString('utf8');
    expect(svg).toMatch(/^<svg/);
  });

  it('prints plain text for the last complete week by default', async () => {
    const result = await report(['report', '--team', 'payments', '--timezone', 'Europe/Berlin', '--db', dbFile, '--slos', slosDir], now);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Weekly error budget · payments · 2026-W46 (Mon 9 Nov – Sun 15 Nov 2026, Europe/Berlin)');
  });

  it.each([
    ['a malformed week', ['--week', '2026-47'], 64, '--week: expected an ISO week such as 2026-W47, got "2026-47"'],
    ['an unknown team', ['--team', 'nobody'], 1, '--team: no SLO has team "nobody"; teams: discovery, payments'],
    ['an unknown zone', ['--timezone', 'Mars/Olympus'], 64, 'unknown time zone "Mars/Olympus"'],
    ['--out for every team at once', ['--out', join(dir, 'x.html')], 64, '--out writes one team\'s report: add --team'],
  ])('refuses %s', async (_name, args, code, message) => {
    const result = await report(['report', ...args, '--db', dbFile, '--slos', slosDir], now);
    expect(result.code).toBe(code);
    expect(result.stderr).toContain(message);
    expect(existsSync(join(dir, 'x.html'))).toBe(false);
  });
});
