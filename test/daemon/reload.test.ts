import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryBackend } from '../../src/backends/memory-backend.js';
import { loadConfig } from '../../src/config/load-config.js';
import { ManualClock } from '../../src/core/clock.js';
import { createApp, type App } from '../../src/daemon/app.js';
import { loadSettingsAgain } from '../../src/daemon/reload.js';
import { createLogger } from '../../src/log.js';
import { syntheticTraffic } from '../support/synthetic-traffic.js';

const t0 = Date.parse('2026-11-02T12:00:00Z') / 1000;
const token = 'reload-write-token-0123';
const write = { authorization: `Bearer ${token}` };

const sloYaml = (name: string, window = '30d') => `apiVersion: burnrate/v1
kind: SLO
metadata: {name: ${name}, service: checkout, labels: {team: payments}}
spec:
  description: ${name} requests succeed.
  objective: 99.9
  window: ${window}
  indicator:
    ratio:
      errors: sum(rate(errors{slo="${name}"}[{{window}}]))
      total: sum(rate(total{slo="${name}"}[{{window}}]))
  alerting:
    page: {runbook: checkout-availability.md}
    ticket: {runbook: checkout-availability.md}
`;

interface Daemon {
  app: App;
  clock: ManualClock;
  dir: string;
  base: string;
  logs: () => Array<Record<string, unknown>>;
  writeSlo(file: string, text: string): void;
}

const opened: Daemon[] = [];
afterEach(async () => {
  for (const daemon of opened.splice(0)) {
    await daemon.app.stop();
    rmSync(daemon.dir, { recursive: true, force: true });
  }
});

/** A daemon on a fake clock over synthetic traffic, its SLOs read from files in a temporary directory. */
async function startDaemon(files: Record<string, string>): Promise<Daemon> {
  const dir = mkdtempSync(join(tmpdir(), 'burnrate-reload-'));
  const slosDir = join(dir, 'slos');
  const writeSlo = (file: string, text: string) => writeFileSync(join(slosDir, file), text);
  writeFileSync(join(dir, 'burnrate.yaml'), `slos: [./slos]\nrunbooks: ${resolve('runbooks')}\napi:\n  tokens: [{name: ci, tokenEnv: RELOAD_TOKEN, scopes: [read, write]}]\n`);
  const { mkdirSync } = await import('node:fs');
  mkdirSync(slosDir);
  for (const [file, text] of Object.entries(files)) writeSlo(file, text);
  const env = { RELOAD_TOKEN: token };
  const read = () => loadConfig(join(dir, 'burnrate.yaml'), true, { db: join(dir, 'burnrate.db') }, dir, env);
  const first = loadSettingsAgain(read);
  if (!first.ok) throw new Error(first.errors.join('\n'));
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => void (lines.push(...chunk.toString().split('\n').filter(Boolean)), done()) });
  const clock = new ManualClock(t0);
  const app = createApp(first.config, first.slos, {
    clock,
    log: createLogger('info', sink),
    listen: { host: '127.0.0.1', port: 0 },
    backend: createMemoryBackend({ value: syntheticTraffic({ rate: 10, episodes: [] }) }),
    loadSettings: () => loadSettingsAgain(read),
    notifyIntervalMs: 3_600_000,
  });
  await app.start();
  const daemon = { app, clock, dir, base: app.address()!, writeSlo, logs: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
  opened.push(daemon);
  return daemon;
}

const reload = async (daemon: Daemon, headers: Record<string, string> = write) => {
  const answer = await fetch(`${daemon.base}/-/reload`, { method: 'POST', headers });
  return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
};
const metric = async (daemon: Daemon, name: string) => {
  const text = await (await fetch(`${daemon.base}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
};
const evaluatedSlos = (daemon: Daemon) =>
  (daemon.app.db.prepare('SELECT DISTINCT s.name AS slo FROM evaluations e JOIN evaluation_slos s ON s.id = e.slo_id ORDER BY s.name').all() as Array<{ slo: string }>).map((row) => row.slo);

describe('reloading SLOs without a restart', () => {
  it('an added SLO file is evaluated from the next cycle on; the answer lists it as added', async () => {
    const daemon = await startDaemon({ 'a.yaml': sloYaml('checkout-a') });
    expect(await metric(daemon, 'burnrate_config_last_reload_successful')).toBe(1);
    daemon.writeSlo('b.yaml', sloYaml('checkout-b'));
    const answer = await reload(daemon);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 'reloaded', added: ['checkout-b'], removed: [], changed: [], needsRestart: [] });
    expect(daemon.app.slos().map((slo) => slo.name)).toEqual(['checkout-a', 'checkout-b']);
    daemon.clock.advance(60);
    await daemon.app.tick();
    expect(evaluatedSlos(daemon)).toContain('checkout-b');
    expect((await fetch(`${daemon.base}/api/v1/slos/checkout-b`, { headers: write })).status).toBe(200);
  });

  it('needs the write scope', async () => {
    const daemon = await startDaemon({ 'a.yaml': sloYaml('checkout-a') });
    expect((await reload(daemon, {})).status).toBe(401);
  });

  it('a bad file keeps the running set and reports every error: 422, the log, /readyz detail and the gauge at 0', async () => {
    const daemon = await startDaemon({ 'a.yaml': sloYaml('checkout-a') });
    daemon.writeSlo('a.yaml', sloYaml('checkout-a').replace('objective: 99.9', 'objective: 100'));
    daemon.writeSlo('b.yaml', sloYaml('checkout-b').replace('window: 30d', 'window: soon'));
    const answer = await reload(daemon);
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ error: { code: 'invalid_config' } });
    const errors = answer.body['errors'] as string[];
    expect(errors.some((e) => e.includes('a.yaml') && e.includes('objective'))).toBe(true);
    expect(errors.some((e) => e.includes('b.yaml') && e.includes('window'))).toBe(true);
    expect(daemon.app.slos().map((slo) => slo.name)).toEqual(['checkout-a']);
    expect(await metric(daemon, 'burnrate_config_last_reload_successful')).toBe(0);
    const ready = await fetch(`${daemon.base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', config: { lastReloadSuccessful: false, errors } });
    const logged = daemon.logs().filter((line) => line['msg'] === 'reload refused: a file does not validate').map((line) => line['error']);
    expect(logged).toEqual(errors);
    // The running SLO is still evaluated.
    daemon.clock.advance(60);
    const next = await daemon.app.tick();
    expect(next?.evaluations.map((e) => e.slo)).toEqual(['checkout-a']);
    // Fixed, the next reload succeeds and the gauge and /readyz say so.
    daemon.writeSlo('a.yaml', sloYaml('checkout-a'));
    daemon.writeSlo('b.yaml', sloYaml('checkout-b'));
    expect((await reload(daemon)).status).toBe(200);
    expect(await metric(daemon, 'burnrate_config_last_reload_successful')).toBe(1);
    expect(await metric(daemon, 'burnrate_config_last_reload_success_timestamp_seconds')).toBe(daemon.clock.now());
    expect(await (await fetch(`${daemon.base}/readyz`)).json()).toMatchObject({ config: { lastReloadSuccessful: true, errors: [] } });
  });

  it('a changed window keeps the recorded buckets and the evaluations, says so in the answer and the log, and the next cycle uses the new window', async () => {
    const daemon = await startDaemon({ 'a.yaml': sloYaml('checkout-a', '30d') });
    const bucketsBefore = daemon.app.db.prepare("SELECT count(*) AS n FROM ledger_rows JOIN ledger_slos ON id = slo_id WHERE name = 'checkout-a'").get() as { n: number };
    const evaluationsBefore = daemon.app.store.history('checkout-a', 0, t0 + 86_400).length;
    expect(bucketsBefore.n).toBeGreaterThan(0);
    daemon.writeSlo('a.yaml', sloYaml('checkout-a', '28d'));
    const answer = await reload(daemon);
    expect(answer.status).toBe(200);
    const changed = answer.body['changed'] as Array<{ name: string; fields: string[]; buckets: string; history: string[] }>;
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatchObject({ name: 'checkout-a', fields: ['window'], buckets: 'kept' });
    expect(changed[0]!.history.join('\n')).toMatch(/window 30d → 4w: buckets older than the new window are dropped/);
    expect(changed[0]!.history.join('\n')).toMatch(/stored evaluations kept/);
    const logged = daemon.logs().find((line) => line['msg'] === 'SLO changed by the reload');
    expect(logged).toMatchObject({ slo: 'checkout-a', buckets: 'kept', history: changed[0]!.history });
    daemon.clock.advance(60);
    const next = await daemon.app.tick();
    expect(next?.evaluations[0]?.slo).toBe('checkout-a');
    const bucketsAfter = daemon.app.db.prepare("SELECT count(*) AS n FROM ledger_rows JOIN ledger_slos ON id = slo_id WHERE name = 'checkout-a'").get() as { n: number };
    expect(bucketsAfter.n).toBeGreaterThanOrEqual(bucketsBefore.n);
    expect(daemon.app.store.history('checkout-a', 0, t0 + 86_400).length).toBe(evaluationsBefore + 1);
    expect(daemon.app.slos()[0]?.window).toBe(28 * 86_400);
  });

  it('changed queries reset the recorded buckets; settings read only at start-up are reported as needing a restart', async () => {
    const daemon = await startDaemon({ 'a.yaml': sloYaml('checkout-a') });
    daemon.writeSlo('a.yaml', sloYaml('checkout-a').replace('sum(rate(total{slo="checkout-a"}', 'sum(rate(total{slo="checkout-a",code!=""}'));
    writeFileSync(join(daemon.dir, 'burnrate.yaml'), `slos: [./slos]\nrunbooks: ${resolve('runbooks')}\nserver: {listen: "127.0.0.1:1"}\napi:\n  tokens: [{name: ci, tokenEnv: RELOAD_TOKEN, scopes: [read, write]}]\n`);
    const answer = await reload(daemon);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ changed: [{ name: 'checkout-a', fields: ['indicator'], buckets: 'reset' }], needsRestart: ['server'] });
    expect(daemon.logs().some((line) => line['msg'] === 'settings changed that apply only after a restart: kept the running values')).toBe(true);
  });
});
