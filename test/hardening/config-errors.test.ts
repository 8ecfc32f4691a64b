import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

/**
 * Hostile or careless settings and SLO files: each is one line naming the file and line (or the flag), exit 1
 * for invalid input or 64 for a bad flag value, and never a stack trace.
 */
const dir = mkdtempSync(join(tmpdir(), 'burnrate-config-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const root = join(import.meta.dirname, '..', '..');
const runbooks = join(root, 'runbooks');
const slos = join(dir, 'slos');
mkdirSync(slos);
copyFileSync(join(root, 'slos', 'payments.yaml'), join(slos, 'payments.yaml'));

const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

/** Nine aliases of nine aliases …: 9^7 nodes once expanded. */
const aliasBomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...'bcdef'.split('').map((name, i) => `${name}: &${name} [${Array(9).fill(`*${'abcdef'[i]}`).join(',')}]`), `g: [${Array(9).fill('*f').join(',')}]`].join('\n');
const flowNesting = (depth: number) => `runbooks: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
const blockNesting = (depth: number) => `${Array.from({ length: depth }, (_, i) => `${' '.repeat(i)}k:`).join('\n')} 1\n`;
const sloText = readFileSync(join(root, 'slos', 'payments.yaml'), 'utf8');

const oneLine = (stderr: string) => {
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
};

describe('burnrate.yaml', () => {
  it.each<[string, string, RegExp]>([
    ['an alias bomb', aliasBomb, /^burnrate: .*bomb-config\.yaml:2:8: YAML: too many alias expansions \(over 100\)/],
    ['flow nesting 100 deep', flowNesting(100), /^burnrate: .*bomb-config\.yaml:1:\d+: YAML: nested more than 64 levels deep$/m],
    ['flow nesting 20,000 deep (the parser overflows its stack)', flowNesting(20_000), /^burnrate: .*bomb-config\.yaml:1:\d+: YAML: nested more than 64 levels deep$/m],
    ['block nesting 1,000 deep', blockNesting(1000), /^burnrate: .*bomb-config\.yaml:\d+:\d+: YAML: nested more than 64 levels deep$/m],
    ['a port over 65535', 'server:\n  listen: 127.0.0.1:99999\n', /^burnrate: .*bomb-config\.yaml:2:11 server\.listen: expected a port from 0 to 65535, got 99999 in "127\.0\.0\.1:99999"$/m],
  ])('%s: one line with file:line:col, exit 1', async (_what, text, message) => {
    const config = file('bomb-config.yaml', text);
    const result = await runCli(['validate', '--config', config, '--slos', slos]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    oneLine(result.stderr);
  });

  it.each<[string, () => string, string]>([
    ['a directory', () => join(dir, 'slos'), 'cannot read the config file: it is a directory, expected a file'],
    ['a device that never ends', () => '/dev/zero', 'cannot read the config file: it is not a regular file'],
    ['a FIFO (read without blocking)', () => {
      const fifo = join(dir, 'config.fifo');
      execFileSync('mkfifo', [fifo]);
      return fifo;
    }, 'cannot read the config file: it is not a regular file'],
    ['a file over 1 MiB', () => file('huge.yaml', `# ${'x'.repeat(1024 * 1024)}\n`), 'cannot read the config file: it is larger than 1 MiB'],
  ])('given %s as the config file: one line naming it, exit 1', async (_what, path, message) => {
    const config = path();
    const result = await runCli(['validate', '--config', config, '--slos', slos]);
    expect(result).toEqual({ code: 1, stdout: '', stderr: `burnrate: ${config}:1:1: ${message}\n` });
  });

  it('the daemon refuses the same settings before opening anything', async () => {
    const config = file('run-config.yaml', aliasBomb);
    const db = join(dir, 'never.db');
    const result = await runCli(['run', '--config', config, '--slos', slos, '--db', db]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/run-config\.yaml:2:8: YAML: too many alias expansions/);
    oneLine(result.stderr);
  });
});

describe('SLO files', () => {
  it.each<[string, string, RegExp]>([
    ['an alias bomb', aliasBomb, /^.*bomb-slo\.yaml:2:8: invalid YAML: too many alias expansions \(over 100\)/m],
    ['flow nesting 100 deep', flowNesting(100), /^.*bomb-slo\.yaml:1:\d+: invalid YAML: nested more than 64 levels deep$/m],
    ['flow nesting 20,000 deep', flowNesting(20_000), /^.*bomb-slo\.yaml:1:\d+: invalid YAML: nested more than 64 levels deep$/m],
    ['block nesting 1,000 deep', blockNesting(1000), /^.*bomb-slo\.yaml:\d+:\d+: invalid YAML: nested more than 64 levels deep$/m],
    ['an alias bomb after a valid SLO', `${sloText}\n---\n${aliasBomb}`, /bomb-slo\.yaml:\d+:8: invalid YAML: too many alias expansions/],
  ])('%s: diagnostics in file:line:col form, exit 1', async (_what, text, message) => {
    const path = file('bomb-slo.yaml', text);
    const result = await runCli(['validate', path, '--config', file('runbooks.yaml', `runbooks: ${runbooks}\n`)]);
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toMatch(message);
    expect(result.stdout + result.stderr).not.toMatch(/^\s+at /m);
  });

  it('an SLO file that is a device is refused unread', async () => {
    const result = await runCli(['validate', '/dev/zero', '--config', file('empty.yaml', '{}\n')]);
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toContain('/dev/zero:1:1: cannot read: is not a regular file');
  });
});

describe('--listen', () => {
  it.each<[string, string]>([
    ['nonsense', '--listen: expected host:port, e.g. 127.0.0.1:9464 or [::1]:9464 (port 0 picks a free one), got "nonsense": no port'],
    ['127.0.0.1:99999', '--listen: expected a port from 0 to 65535, got 99999 in "127.0.0.1:99999"'],
    ['127.0.0.1:http', '--listen: expected host:port, e.g. 127.0.0.1:9464 or [::1]:9464 (port 0 picks a free one), got "127.0.0.1:http": the port is not a number'],
    ['::1:9464', '--listen: expected host:port, e.g. 127.0.0.1:9464 or [::1]:9464 (port 0 picks a free one), got "::1:9464": put an IPv6 host in brackets'],
    ['127.0.0.1:-1', '--listen: expected host:port, e.g. 127.0.0.1:9464 or [::1]:9464 (port 0 picks a free one), got "127.0.0.1:-1": the port is not a number'],
  ])('%s: one line naming the flag, a usage error (64), nothing opened', async (listen, message) => {
    const db = join(dir, 'listen-never.db');
    const result = await runCli(['run', '--listen', listen, '--slos', slos, '--db', db, '--config', file('empty.yaml', '{}\n')]);
    expect(result).toEqual({ code: 64, stdout: '', stderr: `burnrate: ${message}\n` });
  });
});
