import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { registerDeploy } from '../../src/cli/commands/deploy.js';
import { CliError, exitCodes } from '../../src/cli/io.js';
import type { CliResult } from '../support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'burnrate-deploy-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const now = Date.parse('2026-11-02T12:00:00Z') / 1000;

/** The CLI as main.ts builds it, with only the deploy command registered. */
async function runDeploy(argv: string[], at = now): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  let code: number = exitCodes.ok;
  const io = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env: {} };
  const program = new Command('burnrate')
    .option('--config <file>')
    .option('--slos <dir>')
    .option('--prometheus <url>')
    .option('--db <file>')
    .exitOverride()
    .configureOutput({ writeOut: (t) => io.stdout.write(t), writeErr: (t) => io.stderr.write(t) });
  registerDeploy(program, io, (c) => (code = c), () => at);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) code = error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
    else if (error instanceof CliError) {
      stderr += `burnrate: ${error.message}\n`;
      code = error.exitCode;
    } else throw error;
  }
  return { code, stdout, stderr };
}

describe('burnrate deploy', () => {
  const db = join(dir, 'deploys.db');

  it("record on a shard refuses another shard's service (64) and stores nothing", async () => {
    // checkout is shard 0 of 2 (sha256 "checkout" starts c7761e58, an even number).
    const config = join(dir, 'shard-1.yaml');
    const shardDb = join(dir, 'shard-1.db');
    writeFileSync(config, `database: ${shardDb}\nsharding: {index: 1, count: 2, peers: ["http://b0:9464", "http://b1:9464"]}\n`);
    const result = await runDeploy(['deploy', 'record', '--config', config, '--service', 'checkout', '--version', 'v1']);
    expect(result).toEqual({ code: 64, stdout: '', stderr: 'burnrate: service "checkout" is evaluated by shard 0 of 2 (http://b0:9464), not by this one (shard 1): ask that shard\n' });
    const listed = await runDeploy(['deploy', 'ls', '--config', config, '--format', 'json']);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual({ deploys: [] });
  });

  it('record stores a deploy with every flag, and says so; the same deploy again is not stored twice', async () => {
    const argv = [
      'deploy', 'record', '--db', db,
      '--service', 'checkout', '--environment', 'production', '--version', '1.4.0', '--commit', 'ABC1234DEF',
      '--repository-url', 'https://git.example.com/shop/checkout', '--author', 'ana',
      '--started-at', '2026-11-02T11:50:00Z', '--finished-at', '2026-11-02T11:55:00Z',
      '--url', 'https://ci.example.com/runs/7', '--rollback-url', 'https://ci.example.com/runs/7/rollback', '--summary', 'new payment provider', '--tag', 'team:payments', '--tag', 'canary',
    ];
    const first = await runDeploy(argv);
    expect(first).toEqual({ code: 0, stdout: expect.stringMatching(/^recorded dep_\w{26}: checkout 1\.4\.0 \(abc1234def\) to production at 2026-11-02T11:55:00Z\n$/), stderr: '' });
    const again = await runDeploy(argv, now + 30);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(first.stdout.replace(/^recorded/, 'already recorded').replace(/\n$/, ' (the same deploy with the same finish time; nothing new stored)\n'));

    const listed = await runDeploy(['deploy', 'ls', '--db', db, '--format', 'json']);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual({
      deploys: [
        {
          id: expect.stringMatching(/^dep_/),
          service: 'checkout',
          environment: 'production',
          version: '1.4.0',
          commit: 'abc1234def',
          repositoryUrl: 'https://git.example.com/shop/checkout',
          author: 'ana',
          startedAt: now - 600,
          finishedAt: now - 300,
          url: 'https://ci.example.com/runs/7',
          rollbackUrl: 'https://ci.example.com/runs/7/rollback',
          summary: 'new payment provider',
          tags: ['team:payments', 'canary'],
          source: 'cli',
        },
      ],
    });
  });

  it('record without a finish time, retried 7 s later, says it matched the deploy already recorded', async () => {
    const file = join(dir, 'retry.db');
    const argv = ['deploy', 'record', '--db', file, '--service', 'checkout', '--version', '1.4.0', '--commit', 'abc1234'];
    const first = await runDeploy(argv);
    const id = /^recorded (dep_\w{26}): /.exec(first.stdout)?.[1];
    expect(id).toBeDefined();
    const retry = await runDeploy([...argv, '--summary', 'retried'], now + 7);
    expect(retry).toEqual({
      code: 0,
      stdout: `already recorded ${id!}: checkout 1.4.0 (abc1234) at 2026-11-02T12:00:00Z (the same service, environment, version and commit finished 7s before, within deploys.dedupWindow 10m; nothing new stored)\n`,
      stderr: '',
    });
    expect((await runDeploy(argv, now + 601)).stdout).toMatch(/^recorded dep_/);
    expect(JSON.parse((await runDeploy(['deploy', 'ls', '--db', file, '--format', 'json'], now + 601)).stdout).deploys).toHaveLength(2);
  });

  it('record defaults the finish time to now', async () => {
    const file = join(dir, 'default-time.db');
    expect((await runDeploy(['deploy', 'record', '--db', file, '--service', 'cart'])).stdout).toMatch(/: cart at 2026-11-02T12:00:00Z\n$/);
  });

  it('record rejects invalid input with exit 1 and a message per flag', async () => {
    const file = join(dir, 'invalid.db');
    const result = await runDeploy(['deploy', 'record', '--db', file, '--service', 'Checkout', '--commit', 'main', '--repository-url', 'ssh://x', '--tag', '', '--finished-at', 'now']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^burnrate: --service: expected a lowercase name .*got "Checkout"$/),
      '--commit: expected a commit hash of 7 to 40 hexadecimal digits, got "main"',
      '--repository-url: expected an http(s) URL of the repository, got "ssh://x"',
      '--finished-at: expected an RFC 3339 time with offset (e.g. 2026-11-22T09:00:00Z) or unix seconds, got "now"',
      '--tag: expected a non-empty tag',
    ]);
    expect(existsSync(file)).toBe(false);
  });

  it('record without --service is invalid input', async () => {
    const result = await runDeploy(['deploy', 'record', '--db', join(dir, 'missing.db'), '--version', '1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^burnrate: --service: required field missing/);
  });

  it('ls shows a table, newest first, filtered by service and --since', async () => {
    const file = join(dir, 'ls.db');
    for (const [service, version, finished] of [['checkout', 'v1', now - 7200], ['checkout', 'v2', now - 600], ['cart', 'c9', now - 300]] as const) {
      expect((await runDeploy(['deploy', 'record', '--db', file, '--service', service, '--version', version, '--finished-at', String(finished)])).code).toBe(0);
    }
    const all = await runDeploy(['deploy', 'ls', '--db', file]);
    expect(all.stdout.split('\n').map((line) => line.split(/\s+/).slice(0, 7).join(' '))).toEqual([
      'FINISHED SERVICE ENVIRONMENT VERSION COMMIT AUTHOR SOURCE',
      '2026-11-02T11:55:00Z cart - c9 - - cli',
      '2026-11-02T11:50:00Z checkout - v2 - - cli',
      '2026-11-02T10:00:00Z checkout - v1 - - cli',
      '',
    ]);
    const recent = await runDeploy(['deploy', 'ls', '--db', file, '--service', 'checkout', '--since', '1h', '--format', 'json']);
    expect(JSON.parse(recent.stdout).deploys.map((d: { version: string }) => d.version)).toEqual(['v2']);
    const since = await runDeploy(['deploy', 'ls', '--db', file, '--since', '2026-11-02T09:00:00Z', '--limit', '2', '--format', 'json']);
    expect(JSON.parse(since.stdout).deploys.map((d: { version: string }) => d.version)).toEqual(['c9', 'v2']);
  });

  it.each<[string, string[], RegExp]>([
    ['a bad --since', ['--since', 'last week'], /^burnrate: --since: expected a duration back from now/],
    ['a bad --format', ['--format', 'yaml'], /^burnrate: --format: expected table or json, got "yaml"/],
    ['a bad --limit', ['--limit', 'all'], /^burnrate: --limit: expected a whole number from 1 to 1000, got "all"/],
  ])('ls with %s is a usage error', async (_name, flags, message) => {
    const result = await runDeploy(['deploy', 'ls', '--db', join(dir, 'usage.db'), ...flags]);
    expect(result.code).toBe(64);
    expect(result.stderr).toMatch(message);
  });
});
