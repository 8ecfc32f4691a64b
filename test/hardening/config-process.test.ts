import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The built binary started the way a user starts it, on faults of its surroundings: a port in use, a database
 * that is read-only, a directory or in a missing directory, a config file it may not read, an address that is
 * not the machine's. Each is one line on stderr naming the file or the flag, exit 2 (1 for the config file),
 * never a stack trace. Permissions are tested as an unprivileged user (uid 65534) when the tests run as root.
 */
const dir = mkdtempSync(join(tmpdir(), 'burnrate-config-process-'));
chmodSync(dir, 0o755);
const root = resolve(import.meta.dirname, '..', '..');
const slos = join(dir, 'slos');
const runbooksDir = join(dir, 'runbooks');
mkdirSync(slos);
mkdirSync(runbooksDir);
copyFileSync(join(root, 'slos', 'payments.yaml'), join(slos, 'payments.yaml'));
for (const name of ['checkout-availability.md', 'ledger-availability.md']) copyFileSync(join(root, 'runbooks', name), join(runbooksDir, name));
const config = join(dir, 'burnrate.yaml');
writeFileSync(config, `slos: ${slos}\nrunbooks: ${runbooksDir}\n`);

const unprivileged = process.getuid?.() === 0 ? { uid: 65_534, gid: 65_534 } : {};

let busy: Server;
let busyPort = 0;
beforeAll(async () => {
  busy = createServer();
  await new Promise<void>((done) => busy.listen(0, '127.0.0.1', done));
  busyPort = (busy.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((done) => busy.close(done));
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the binary to its end (a daemon that started would be a failure: it is killed after the deadline). */
function burnrate(args: string[], options: { uid?: number; gid?: number } = {}): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'burnrate.js'), ...args], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], ...options });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const deadline = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (code) => {
      clearTimeout(deadline);
      done({ code, stderr });
    });
  });
}

/** stderr without pino's JSON log lines: what a person reads. */
const plainLines = (stderr: string) => stderr.split('\n').filter((line) => line !== '' && !line.startsWith('{'));

const expectOneLine = (stderr: string, message: string) => {
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(plainLines(stderr)).toEqual([`burnrate: ${message}`]);
};

describe('burnrate run, on faults of its surroundings', () => {
  it('a port in use: one line naming the address and the flag, exit 2', async () => {
    const result = await burnrate(['run', '--config', config, '--db', join(dir, 'port.db'), '--listen', `127.0.0.1:${busyPort}`]);
    expect(result.code).toBe(2);
    expectOneLine(result.stderr, `cannot listen on 127.0.0.1:${busyPort} (--listen): the address is already in use (another daemon or program listens there)`);
  });

  it('a port in use from server.listen: names the config file, and the lock it took is released', async () => {
    const withListen = join(dir, 'listen.yaml');
    writeFileSync(withListen, `slos: ${slos}\nrunbooks: ${runbooksDir}\nserver:\n  listen: 127.0.0.1:${busyPort}\n`);
    const db = join(dir, 'listen.db');
    const result = await burnrate(['run', '--config', withListen, '--db', db]);
    expect(result.code).toBe(2);
    expectOneLine(result.stderr, `cannot listen on 127.0.0.1:${busyPort} (server.listen in ${withListen}): the address is already in use (another daemon or program listens there)`);
    const again = await burnrate(['run', '--config', withListen, '--db', db]);
    expect(plainLines(again.stderr)).toEqual([expect.stringContaining('address is already in use')]);
  });

  it('an address that is not the machine\'s: one line, exit 2', async () => {
    const result = await burnrate(['run', '--config', config, '--db', join(dir, 'foreign.db'), '--listen', '192.0.2.1:9464']);
    expect(result.code).toBe(2);
    expectOneLine(result.stderr, "cannot listen on 192.0.2.1:9464 (--listen): the address is not one of this machine's");
  });

  it('a read-only database file: one line naming it, exit 2', async () => {
    const db = join(dir, 'read-only.db');
    new Database(db).exec('CREATE TABLE t (x)');
    chmodSync(db, 0o444);
    const result = await burnrate(['run', '--config', config, '--db', db, '--listen', '127.0.0.1:0'], unprivileged);
    expect(result.code).toBe(2);
    expectOneLine(result.stderr, `cannot open the database ${db}: it is read-only: the daemon must write it (check the permissions of the file and of its directory)`);
  });

  it('a directory as the database: one line, exit 2', async () => {
    const result = await burnrate(['run', '--config', config, '--db', slos, '--listen', '127.0.0.1:0']);
    expect(result.code).toBe(2);
    expectOneLine(result.stderr, `cannot open the database ${slos}: it is a directory, expected a database file`);
  });

  it('a database in a directory that does not exist: one line, exit 2', async () => {
    const db = join(dir, 'missing', 'burnrate.db');
    const result = await burnrate(['run', '--config', config, '--db', db, '--listen', '127.0.0.1:0']);
    expect(result.code).toBe(2);
    expectOneLine(result.stderr, `cannot open the database ${db}: its directory ${join(dir, 'missing')} does not exist`);
  });

  it('a config file it may not read: one line naming it, exit 1', async () => {
    const secret = join(dir, 'secret.yaml');
    writeFileSync(secret, `slos: ${slos}\n`);
    chmodSync(secret, 0o600);
    const result = await burnrate(['run', '--config', secret, '--db', join(dir, 'secret.db'), '--listen', '127.0.0.1:0'], unprivileged);
    expect(result.code).toBe(1);
    expectOneLine(result.stderr, `${secret}:1:1: cannot read the config file: permission denied`);
  });

  it('--listen nonsense: one line naming the flag, before anything is opened', async () => {
    const result = await burnrate(['run', '--config', config, '--db', join(dir, 'flag.db'), '--listen', 'nonsense']);
    expect(result.code).toBe(64);
    expectOneLine(result.stderr, '--listen: expected host:port, e.g. 127.0.0.1:9464 or [::1]:9464 (port 0 picks a free one), got "nonsense": no port');
  });
});
