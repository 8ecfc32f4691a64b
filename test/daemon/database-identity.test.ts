import { copyFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryBackend } from '../../src/backends/memory-backend.js';
import { loadConfig } from '../../src/config/load-config.js';
import { ManualClock } from '../../src/core/clock.js';
import { createApp, type App } from '../../src/daemon/app.js';
import { createLogger } from '../../src/log.js';
import { checkoutSlo } from '../support/alerting-app.js';
import { syntheticTraffic } from '../support/synthetic-traffic.js';

/**
 * SQLite goes on writing into an open file that was deleted or renamed away, so a daemon whose database file is
 * deleted or replaced would evaluate into a file nobody opens again and lose it all at the next restart. It
 * notices (device and inode, each cycle and each delivery beat), stops evaluating and delivering, logs an
 * error, and answers /readyz 503 while /healthz stays 200.
 */
const t0 = Date.parse('2026-11-02T09:00:00Z') / 1000;
let app: App | undefined;
let dir: string | undefined;
afterEach(async () => {
  await app?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function started() {
  dir = mkdtempSync(join(tmpdir(), 'burnrate-db-identity-'));
  const db = join(dir, 'burnrate.db');
  const file = join(dir, 'burnrate.yaml');
  writeFileSync(file, `runbooks: ${join(import.meta.dirname, '..', '..', 'runbooks')}\nevaluation:\n  schedule: "0 0 1 1 *"\n`);
  const config = loadConfig(file, true, { db }, dir, {});
  let logs = '';
  const log = createLogger('info', { write: (line: string) => ((logs += line), true) } as unknown as NodeJS.WritableStream);
  const clock = new ManualClock(t0);
  app = createApp(config, [checkoutSlo()], { clock, log, listen: { host: '127.0.0.1', port: 0 }, backend: createMemoryBackend({ value: syntheticTraffic({ rate: 20, episodes: [] }) }) });
  await app.start();
  const base = `http://${app.address()!.replace(/^http:\/\//, '')}`;
  const evaluations = () => (app!.db.prepare('SELECT count(*) AS n FROM evaluations').get() as { n: number }).n;
  const probe = async (path: string) => {
    const response = await fetch(`${base}${path}`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  return { db, dir, clock, logs: () => logs, evaluations, probe };
}

describe('the database file deleted or replaced under a running daemon', () => {
  it('deleted: evaluation stops with an error log, /readyz is 503 unhealthy, /healthz stays 200', async () => {
    const h = await started();
    expect(await h.probe('/readyz')).toEqual({ status: 200, body: { status: 'ready' } });
    h.clock.set(t0 + 60);
    await app!.tick();
    const before = h.evaluations();
    expect(before).toBeGreaterThan(0);

    rmSync(h.db);
    expect(await h.probe('/readyz')).toEqual({ status: 503, body: { status: 'unhealthy', message: `the database file ${h.db} was deleted or moved away while the daemon ran` } });
    expect(await h.probe('/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
    h.clock.set(t0 + 120);
    expect(await app!.tick()).toBeUndefined();
    await app!.notifyTick();
    // Nothing more went into the deleted file.
    expect(h.evaluations()).toBe(before);
    expect(h.logs()).toMatch(/"level":50[^\n]*"msg":"database file changed under the daemon: evaluation and delivery stopped; restart the daemon"/);
    expect(h.logs()).toMatch(/"level":50[^\n]*"msg":"evaluation cycle skipped: the database file is not the one opened"/);
  });

  it('replaced by another file (a restore copied over it): the same, and it says replaced', async () => {
    const h = await started();
    h.clock.set(t0 + 60);
    await app!.tick();
    const before = h.evaluations();
    copyFileSync(h.db, join(h.dir, 'copy.db'));
    renameSync(join(h.dir, 'copy.db'), h.db);
    expect(await h.probe('/readyz')).toEqual({ status: 503, body: { status: 'unhealthy', message: `the database file ${h.db} was replaced by another file while the daemon ran` } });
    h.clock.set(t0 + 120);
    expect(await app!.tick()).toBeUndefined();
    expect(h.evaluations()).toBe(before);
  });

  it('moved back as it was: evaluation resumes and /readyz is ready again', async () => {
    const h = await started();
    renameSync(h.db, join(h.dir, 'aside.db'));
    expect((await h.probe('/readyz')).status).toBe(503);
    renameSync(join(h.dir, 'aside.db'), h.db);
    expect(await h.probe('/readyz')).toEqual({ status: 200, body: { status: 'ready' } });
    h.clock.set(t0 + 60);
    expect(await app!.tick()).toBeDefined();
    expect(h.logs()).toContain('"msg":"database file is back as opened: evaluation resumes"');
  });
});
