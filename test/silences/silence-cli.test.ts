import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { registerSilence } from '../../src/cli/commands/silence.js';
import { CliError, exitCodes } from '../../src/cli/io.js';

const dir = mkdtempSync(join(tmpdir(), 'burnrate-silence-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const t0 = Date.parse('2026-11-02T09:00:00Z') / 1000;

/** The silence commands on a program shaped like main.ts's, run in-process with captured output. */
async function silenceCli(argv: string[], now = t0): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  let code: number = exitCodes.ok;
  const io = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env: {} };
  const program = new Command('burnrate')
    .option('--config <file>')
    .option('--db <file>')
    .exitOverride()
    .configureOutput({ writeOut: (t) => (stdout += t), writeErr: (t) => (stderr += t) });
  registerSilence(program, io, (c) => (code = c), () => now);
  // As main.ts does: only the top-level commands get exitOverride; subcommands inherit it from the program.
  for (const command of program.commands) command.exitOverride();
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CliError) {
      stderr += `burnrate: ${error.message}\n`;
      code = error.exitCode;
    } else if (error instanceof CommanderError) code = exitCodes.usage;
    else throw error;
  }
  return { code, stdout, stderr };
}

describe('burnrate silence', () => {
  const db = join(dir, 'silences.db');

  it('add, ls and expire round trip through the database', async () => {
    const add = await silenceCli(['silence', 'add', '--db', db, '--matcher', 'slo="checkout-availability"', '-m', 'severity=~page|ticket', '--duration', '2h', '--author', 'ana', '--comment', 'deploy window']);
    expect(add).toMatchObject({ code: 0, stderr: '' });
    const id = add.stdout.trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const pending = await silenceCli(['silence', 'add', '--db', db, '-m', 'team=payments', '--starts-at', '2026-11-02T12:00:00Z', '--ends-at', '2026-11-02T13:00:00Z', '-a', 'bo', '-c', 'maintenance']);
    const pendingId = pending.stdout.trim();

    const table = await silenceCli(['silence', 'ls', '--db', db]);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+STATE\s+MATCHERS\s+STARTS\s+ENDS\s+CREATED BY\s+COMMENT$/);
    expect(lines[1]).toMatch(new RegExp(`^${id}\\s+active\\s+slo="checkout-availability" severity=~"page\\|ticket"\\s+2026-11-02T09:00:00Z\\s+2026-11-02T11:00:00Z\\s+ana\\s+deploy window$`));
    expect(lines[2]).toMatch(new RegExp(`^${pendingId}\\s+pending\\s+team="payments"\\s+2026-11-02T12:00:00Z\\s+2026-11-02T13:00:00Z\\s+bo\\s+maintenance$`));

    const expire = await silenceCli(['silence', 'expire', '--db', db, id], t0 + 600);
    expect(expire).toEqual({ code: 0, stdout: `expired ${id}\n`, stderr: '' });

    const json = await silenceCli(['silence', 'ls', '--db', db, '--format', 'json'], t0 + 600);
    expect((JSON.parse(json.stdout) as Array<{ id: string }>).map((s) => s.id)).toEqual([pendingId]);
    const all = JSON.parse((await silenceCli(['silence', 'ls', '--db', db, '--all', '--format', 'json'], t0 + 600)).stdout) as unknown[];
    expect(all).toEqual([
      expect.objectContaining({ id: pendingId, state: 'pending' }),
      {
        id,
        state: 'expired',
        matchers: [
          { name: 'slo', type: '=', value: 'checkout-availability' },
          { name: 'severity', type: '=~', value: 'page|ticket' },
        ],
        startsAt: '2026-11-02T09:00:00Z',
        endsAt: '2026-11-02T09:10:00Z',
        createdBy: 'ana',
        comment: 'deploy window',
        createdAt: '2026-11-02T09:00:00Z',
        updatedAt: '2026-11-02T09:10:00Z',
      },
    ]);

    const again = await silenceCli(['silence', 'expire', '--db', db, id], t0 + 700);
    expect(again).toEqual({ code: 1, stdout: '', stderr: `burnrate: silence ${id} has already expired\n` });
  });

  const bad: Array<[string, string[], number, string]> = [
    ['neither --duration nor --ends-at', ['-m', 'a=b', '-a', 'x', '-c', 'y'], 64, 'burnrate: give --duration or --ends-at\n'],
    ['both --duration and --ends-at', ['-m', 'a=b', '-a', 'x', '-c', 'y', '-d', '1h', '--ends-at', '2026-11-03T00:00:00Z'], 64, 'burnrate: give --duration or --ends-at, not both\n'],
    ['a matcher that matches everything', ['-m', 'a=~".*"', '-a', 'x', '-c', 'y', '-d', '1h'], 1, 'burnrate: invalid silence: at least one matcher must not match the empty string: such a silence would mute every alert\n'],
    ['a bad matcher', ['-m', 'a', '-a', 'x', '-c', 'y', '-d', '1h'], 1, 'burnrate: invalid silence: matchers[0]: bad matcher format: expected name="value" with =, !=, =~ or !~, got "a"\n'],
  ];
  it.each(bad)('add rejects %s', async (_, args, code, stderr) => {
    expect(await silenceCli(['silence', 'add', '--db', join(dir, 'bad.db'), ...args])).toEqual({ code, stdout: '', stderr });
  });

  it('add without --author is a usage error', async () => {
    const result = await silenceCli(['silence', 'add', '--db', join(dir, 'bad.db'), '-m', 'a=b', '-c', 'y', '-d', '1h']);
    expect(result.code).toBe(64);
    expect(result.stderr).toMatch(/required option '-a, --author <name>' not specified/);
  });

  it('expire of an unknown id fails with exit code 1', async () => {
    expect(await silenceCli(['silence', 'expire', '--db', db, 'nope'])).toEqual({ code: 1, stdout: '', stderr: 'burnrate: no silence with id nope\n' });
  });
});
