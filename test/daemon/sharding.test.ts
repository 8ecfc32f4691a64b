import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryBackend } from '../../src/backends/memory-backend.js';
import { loadConfig } from '../../src/config/load-config.js';
import { ManualClock } from '../../src/core/clock.js';
import { shardOf } from '../../src/core/shard.js';
import { createApp, type App } from '../../src/daemon/app.js';
import { silentLogger } from '../../src/log.js';
import type { Slo } from '../../src/slo/model.js';
import { checkoutSlo } from '../support/alerting-app.js';
import { freePort, startAlertmanager, startReceivers, testAlertmanagerConfig, type AlertmanagerServer, type ReceiverServer } from '../support/alertmanager-server.js';
import { syntheticTraffic } from '../support/synthetic-traffic.js';

/**
 * Two daemons, each shard of two, over the same SLO files, each with its own database, feeding one real
 * Alertmanager: each evaluates only the services that hash to it, answers the gate for them, sends a request for
 * the other's services there (421 naming its URL), and both shards' alerts and Watchdogs reach Alertmanager.
 *
 * Alertmanager judges endsAt by its own clock, so the fake clocks run 20 minutes behind it.
 */
const minute = 60;
const services = ['checkout', 'search', 'catalog', 'ledger', 'payments', 'profile', 'cart', 'shipping', 'reviews', 'inventory'];
const slos: Slo[] = services.flatMap((service) => [checkoutSlo(`${service}-availability`, service), checkoutSlo(`${service}-latency`, service)]);
const token = 'shard-test-token-0123456789abcdef';
const auth = { authorization: `Bearer ${token}` };
const start = Math.floor(Date.now() / 1000 / minute) * minute - 20 * minute;
// One failing service per shard: the first service of each shard fails every request for 2 minutes.
const failing = [0, 1].map((shard) => services.find((service) => shardOf(service, 2) === shard)!);

interface Shard {
  app: App;
  clock: ManualClock;
  url: string;
  dir: string;
}

let am: AlertmanagerServer;
let receivers: ReceiverServer;
const shards: Shard[] = [];

async function startShard(index: number, ports: number[]): Promise<Shard> {
  const dir = mkdtempSync(join(tmpdir(), `burnrate-shard-${index}-`));
  const file = join(dir, 'burnrate.yaml');
  writeFileSync(
    file,
    `runbooks: ${resolve('runbooks')}
evaluation:
  schedule: "0 0 1 1 *"
api:
  tokens: [{name: ci, tokenEnv: SHARD_TOKEN, scopes: [read, write]}]
sharding:
  index: ${index}
  count: 2
  peers: [${ports.map((port) => `"http://127.0.0.1:${port}"`).join(', ')}]
alertmanager:
  urls: [${am.url}]
  resendInterval: 10m
  timeout: 2s
  externalUrl: http://burnrate-${index}.example:9464
  watchdog: true
`,
  );
  const config = loadConfig(file, true, { db: join(dir, 'burnrate.db') }, dir, { SHARD_TOKEN: token });
  const clock = new ManualClock(start);
  const episodes = failing.map((service) => ({ slo: `${service}-availability`, from: start + minute, to: start + 3 * minute, ratio: 1 }));
  const app = createApp(config, slos, {
    clock,
    log: silentLogger,
    listen: { host: '127.0.0.1', port: ports[index]! },
    backend: createMemoryBackend({ value: syntheticTraffic({ rate: 20, episodes }) }),
    random: () => 0.5,
  });
  await app.start();
  return { app, clock, url: `http://127.0.0.1:${ports[index]}`, dir };
}

beforeAll(async () => {
  receivers = await startReceivers();
  am = await startAlertmanager({ config: testAlertmanagerConfig(receivers.url, resolve('examples/alertmanager')) });
  const ports = [await freePort(), await freePort()];
  for (const index of [0, 1]) shards.push(await startShard(index, ports));
  for (const shard of shards) {
    for (let i = 1; i <= 4; i += 1) {
      shard.clock.set(start + i * minute);
      await shard.app.tick();
    }
  }
}, 120_000);

afterAll(async () => {
  for (const shard of shards) {
    await shard.app.stop();
    rmSync(shard.dir, { recursive: true, force: true });
  }
  await am?.stop();
  await receivers?.close();
});

const evaluated = (shard: Shard): string[] =>
  (shard.app.db.prepare('SELECT s.name FROM evaluation_latest l JOIN evaluation_slos s ON s.id = l.slo_id ORDER BY s.name').all() as Array<{ name: string }>).map((row) => row.name);

describe('two shards of one SLO set', () => {
  it('split the SLOs by service: disjoint, together every SLO, every SLO of a service on one shard', () => {
    const [a, b] = shards.map(evaluated) as [string[], string[]];
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBeGreaterThan(0);
    expect([...a, ...b].sort()).toEqual(slos.map((slo) => slo.name).sort());
    for (const service of services) {
      const on = [a, b].filter((names) => names.some((name) => name.startsWith(`${service}-`)));
      expect(on, service).toHaveLength(1);
      expect(on[0]).toEqual(expect.arrayContaining([`${service}-availability`, `${service}-latency`]));
    }
  });

  it('each answers the gate for its own services and sends the others to the right shard (421)', async () => {
    for (const service of services) {
      const owner = shardOf(service, 2);
      const right = await fetch(`${shards[owner]!.url}/api/v1/gate?service=${service}`, { headers: auth });
      expect(right.status, service).toBe(200);
      const wrong = await fetch(`${shards[1 - owner]!.url}/api/v1/gate?service=${service}`, { headers: auth });
      expect(wrong.status, service).toBe(421);
      const body = (await wrong.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('wrong_shard');
      expect(body.error.message).toContain(`shard ${owner} of 2 at ${shards[owner]!.url}`);
      expect(wrong.headers.get('x-burnrate-shard-url')).toBe(shards[owner]!.url);
    }
    // An SLO named by name goes the same way; a service no shard has is the route's own 404.
    const slo = `${services[0]}-latency`;
    const owner = shardOf(services[0]!, 2);
    expect((await fetch(`${shards[1 - owner]!.url}/api/v1/gate?slo=${slo}`, { headers: auth })).status).toBe(421);
    expect((await fetch(`${shards[0]!.url}/api/v1/gate?service=nope`, { headers: auth })).status).toBe(404);
  });

  it('records deploys only where the service lives, and tells any shard\'s client where that is', async () => {
    const service = services[3]!;
    const owner = shardOf(service, 2);
    const post = (shard: Shard) => fetch(`${shard.url}/api/v1/deploys`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ service, version: 'v9' }) });
    expect((await post(shards[1 - owner]!)).status).toBe(421);
    expect((await post(shards[owner]!)).status).toBe(201);
    expect((await fetch(`${shards[0]!.url}/api/v1/shards?service=Bad_Name`, { headers: auth })).status).toBe(400);
    expect((await fetch(`${shards[0]!.url}/api/v1/shards?service=`, { headers: auth })).status).toBe(400);
    for (const shard of shards) {
      const answer = (await (await fetch(`${shard.url}/api/v1/shards?service=${service}`, { headers: auth })).json()) as { count: number; service: { shard: number; url: string; known: boolean } };
      expect(answer).toMatchObject({ count: 2, service: { shard: owner, url: shards[owner]!.url, known: true } });
    }
  });

  it("feed one Alertmanager: each shard's page and its own Watchdog arrive", async () => {
    for (const shard of shards) {
      const result = await shard.app.pushAlerts();
      expect(result?.outcomes).toEqual([{ url: am.url, outcome: { kind: 'ok' } }]);
    }
    const alerts = (await (await fetch(`${am.url}/api/v2/alerts?active=true&silenced=true&inhibited=true&unprocessed=true`)).json()) as Array<{ labels: Record<string, string> }>;
    const pages = alerts.filter((a) => a.labels['alertname'] !== 'Watchdog').map((a) => a.labels['slo']);
    expect(new Set(pages)).toEqual(new Set(failing.map((service) => `${service}-availability`)));
    const watchdogs = alerts.filter((a) => a.labels['alertname'] === 'Watchdog').map((a) => a.labels['shard']);
    expect(watchdogs.sort()).toEqual(['0/2', '1/2']);
  });
});
