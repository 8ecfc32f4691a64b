import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCliTime } from '../../src/cli/cli-time.js';
import { cliRequester } from '../../src/cli/commands/gate.js';
import { runCli } from '../support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'burnrate-cli-options-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const t0 = Date.parse('2026-11-02T00:00:00Z') / 1000;
const version = (JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;

/** checkout's requests every 30 s over [from, to], all failing during [t0 + 1h, t0 + 1h10m). */
function samples(from: number, to: number): string {
  const lines: string[] = [];
  let ok = 0;
  let errors = 0;
  for (let t = from; t <= to; t += 30) {
    const failing = t >= t0 + 3600 && t < t0 + 4200;
    errors += failing ? 300 : 0;
    ok += failing ? 0 : 300;
    lines.push(`http_requests_total{service="checkout",code="200"} ${ok} ${t * 1000}`, `http_requests_total{service="checkout",code="500"} ${errors} ${t * 1000}`);
  }
  return `${lines.join('\n')}\n`;
}

describe('burnrate --version', () => {
  it.each([['--version'], ['-V']])('%s prints the package version', async (flag) => {
    expect(await runCli([flag])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it("leaves a subcommand's own --version alone: deploy record --version is the deploy's", async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'burnrate-version-')), 'deploys.db');
    const recorded = await runCli(['deploy', 'record', '--db', db, '--service', 'checkout', '--version', '1.4.0']);
    expect(recorded.code).toBe(0);
    expect(recorded.stdout).toContain('checkout 1.4.0');
    const listed = await runCli(['deploy', 'ls', '--db', db, '--format', 'json']);
    expect((JSON.parse(listed.stdout) as { deploys: unknown[] }).deploys).toEqual([expect.objectContaining({ service: 'checkout', version: '1.4.0' })]);
  });
});

describe('help pages', () => {
  const commands = ['validate', 'eval', 'backtest', 'ingest', 'run', 'gate', 'gate log', 'gate override', 'report', 'deploy record', 'silence add', 'notifications ls'];

  it.each(commands)('%s --help shows the global options', async (command) => {
    const result = await runCli([...command.split(' '), '--help']);
    expect(result.code).toBe(0);
    const global = result.stdout.split('Global Options:')[1] ?? '';
    for (const flag of ['--config <file>', '--slos <dir>', '--prometheus <url>', '--db <file>']) expect(global).toContain(flag);
  });

  const exitCodes = (text: string) => [...(text.split('Exit codes:')[1] ?? '').matchAll(/^ {2}(\d+) +(.*)$/gm)].map((m) => `${m[1]} ${m[2]}`);

  it('gate lists allow, deny, cannot decide and usage, and nothing else', async () => {
    expect(exitCodes((await runCli(['gate', '--help'])).stdout)).toEqual([
      '0 allow',
      '1 deny (also: SLO files or config have errors)',
      '2 cannot decide: no evaluation stored or database unavailable (--fail-open makes it 0)',
      '64 usage error: unknown command, bad flag value',
    ]);
  });

  it('validate lists 0, 1 and 64 only', async () => {
    const codes = exitCodes((await runCli(['validate', '--help'])).stdout);
    expect(codes.map((line) => line.split(' ')[0])).toEqual(['0', '1', '64']);
    expect(codes.join('\n')).not.toMatch(/gate|deny|cannot decide/);
  });

  it('a command that reads the database lists its own codes, the root lists every meaning', async () => {
    expect(exitCodes((await runCli(['gate', 'log', '--help'])).stdout)).toEqual([
      '0 success',
      '1 invalid input: SLO files or config have errors',
      '2 database unavailable',
      '64 usage error: unknown command, bad flag value',
    ]);
    expect(exitCodes((await runCli(['--help'])).stdout).map((line) => line.split(' ')[0])).toEqual(['0', '1', '2', '64']);
  });
});

describe('relative times', () => {
  it.each([
    ['now', t0],
    ['now-7d', t0 - 7 * 86_400],
    ['now-90m', t0 - 5400],
    [' now-1h ', t0 - 3600],
    ['2026-11-01T00:00:00Z', t0 - 86_400],
    [String(t0 - 60), t0 - 60],
  ])('%s', (text, expected) => {
    expect(parseCliTime(text, t0)).toBe(expected);
  });

  it.each([['now-'], ['now+1h'], ['now-7 days'], ['now-1h30m'], ['yesterday'], ['now-999999w']])('%s is refused', (text) => {
    expect(parseCliTime(text, t0)).toBeUndefined();
  });
});

describe('backtest and gate on ingested samples', () => {
  const db = join(dir, 'options.db');
  const now = t0 + 4 * 3600;

  it('backtest --from now-4h --to now replays the same range as the absolute times', async () => {
    const ingest = await runCli(['ingest', '-', '--db', db, '--slos', 'slos'], { stdin: samples(t0 - 86_400, now) });
    expect(ingest).toMatchObject({ code: 0, stderr: '' });
    const relative = await runCli(['backtest', '--db', db, '--from', 'now-4h', '--to', 'now', '--format', 'json'], { now });
    const absolute = await runCli(['backtest', '--db', db, '--from', String(t0), '--to', String(now), '--format', 'json']);
    expect(relative.code).toBe(0);
    expect(relative.stdout).toContain('{"slo":"checkout-availability","severity":"page","state":"firing"');
    expect(relative.stdout).toBe(absolute.stdout);
    expect(await runCli(['backtest', '--db', db, '--from', 'last week', '--to', 'now'], { now })).toMatchObject({
      code: 64,
      stderr: 'burnrate: --from: expected RFC 3339, unix seconds, now, or now-<duration> (now-7d), got "last week"\n',
    });
  });

  it('gate log names the requester: --as, else the OS user', async () => {
    await runCli(['gate', '--db', db, '--service', 'checkout', '--as', 'release-bot'], { now });
    await runCli(['gate', '--db', db, '--service', 'checkout'], { now: now + 10 });
    const log = await runCli(['gate', 'log', '--db', db, '--format', 'json'], { now: now + 20 });
    const { decisions } = JSON.parse(log.stdout) as { decisions: Array<{ requester: string }> };
    expect(decisions.map((d) => d.requester)).toEqual([`cli:${userInfo().username}`, 'cli:release-bot']);
  });
});

describe('cliRequester', () => {
  it.each([
    ['--as wins over everything', { GITHUB_ACTOR: 'ci', USER: 'me' }, 'bot', 'cli:bot'],
    ['the CI user wins over the OS user', { GITHUB_ACTOR: 'ci', USER: 'me' }, undefined, 'cli:ci'],
    ['USER from the environment', { USER: 'me' }, undefined, 'cli:me'],
    ['the account name when USER is unset or empty', { USER: '' }, undefined, 'cli:account'],
    ['a blank --as is ignored', {}, '  ', 'cli:account'],
  ])('%s', (_name, env, as, expected) => {
    expect(cliRequester(env, as, () => 'account')).toBe(expected);
  });

  it('unknown when there is no account name either', () => {
    expect(cliRequester({}, undefined, () => undefined)).toBe('cli:unknown');
  });
});
