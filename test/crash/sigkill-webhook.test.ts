import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AlertStore } from '../../src/alerting/alert-store.js';
import { loadConfig } from '../../src/config/load-config.js';
import { NotifyStore } from '../../src/notify/notify-store.js';
import { openDatabase, type Db } from '../../src/store/database.js';
import { startFakeWebhook, type FakeWebhook } from '../support/fake-webhook.js';
import { backlog } from './backlog.js';
import { startDaemon, type DaemonRun } from './daemon.js';
import { startLatencyProxy, type LatencyProxy } from './latency-proxy.js';
import { seededRandom } from './prng.js';

/**
 * The sibling of sigkill-delivery.test.ts for the generic webhook: the real daemon (built to dist/) delivers
 * backlogs of pages and resolves to a signing-verifying receiver behind a network with latency, and is SIGKILLed
 * at random points (start-up, between marking a row `sending` and the request, with the request on the wire,
 * after the receiver took it but before the answer, after the answer but before the outcome was committed).
 *
 * HTTP cannot be asked whether a request arrived, so after a kill the daemon sends the interrupted notification
 * again with the same Idempotency-Key; the receiver deduplicates by that key. What must hold: every planned
 * notification reached the receiver (0 lost), no key the daemon did not plan (0 stray), no notification delivered
 * as two by key (distinct keys = planned), every resend identical in key, incident and status to its first copy,
 * every resolve naming its page's incident and arriving after it, and no request refused for its signature.
 * The raw resend count (same key again) is reported: that is what the receiver's deduplication absorbed.
 */
const seed = Number(process.env['CRASH_SEED'] ?? 20_261_202);
const kills = 50;
const groupsPerBacklog = 30;
const startupKillMs = 700;
const deliveryKillMs = 2000;
const startupShare = 0.2;
const oneWayLatencyMs = 40;
const finishDeadlineMs = 60_000;

const dir = mkdtempSync(join(tmpdir(), 'burnrate-crash-webhook-'));
const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const sloYaml = `apiVersion: burnrate/v1
kind: SLO
metadata:
  name: catalog-availability
  service: catalog
  labels: {team: discovery}
spec:
  description: Catalog requests succeed.
  objective: 99.9
  window: 30d
  indicator:
    ratio:
      errors: sum(increase(http_requests_total{service="catalog",code=~"5.."}[{{window}}]))
      total: sum(increase(http_requests_total{service="catalog"}[{{window}}]))
  alerting:
    page: {runbook: catalog-availability.md}
    ticket: {runbook: catalog-availability.md}
`;

function configText(url: string): string {
  return `runbooks: ${resolve('runbooks')}
logLevel: info
alerting:
  noData: {after: 1d, severity: ticket}
  runbookBaseUrl: https://github.com/acme/slos/blob/main/runbooks/
  delivery: {giveUpAfter: 2h, timeout: 10s, recoverAfter: 1s}
receivers:
  - name: payments
    webhook: {url: "${url}", secretEnv: WEBHOOK_SECRET}
route:
  receiver: payments
  group_by: [slo]
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 4h
`;
}

async function pollUntil(what: string, probe: () => boolean, deadlineMs: number, detail: () => string): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}: ${detail()}`);
    await new Promise((ok) => setTimeout(ok, 50));
  }
}

async function within<T>(ms: number, promise: Promise<T>): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((ok) => (timer = setTimeout(() => ok('timeout'), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const states = (db: Db) =>
  Object.fromEntries((db.prepare('SELECT state, count(*) AS n FROM outbox GROUP BY state').all() as Array<{ state: string; n: number }>).map((r) => [r.state, r.n]));

describe('webhook delivery survives SIGKILL at any point', () => {
  it(`${kills} kills of the daemon mid-delivery: every page and resolve reaches the receiver, none twice by Idempotency-Key`, async () => {
    const started = Date.now();
    const hook: FakeWebhook = await startFakeWebhook();
    const target = new URL(hook.url);
    const proxy: LatencyProxy = await startLatencyProxy({ host: target.hostname, port: Number(target.port) }, oneWayLatencyMs);
    cleanups.push(() => hook.close(), () => proxy.close());

    const slos = join(dir, 'slos');
    mkdirSync(slos);
    writeFileSync(join(slos, 'catalog.yaml'), sloYaml);
    const configFile = join(dir, 'burnrate.yaml');
    writeFileSync(configFile, configText(`http://127.0.0.1:${proxy.port}${target.pathname}`));
    const dbFile = join(dir, 'burnrate.db');
    const env = { WEBHOOK_SECRET: hook.secret };
    const config = loadConfig(configFile, true, { db: dbFile }, dir, env);
    const db = openDatabase(dbFile);
    cleanups.push(() => void db.close());
    const store = new NotifyStore(db);
    const plan = backlog(config, new AlertStore(db), store);
    const runs: DaemonRun[] = [];
    cleanups.push(() => runs.forEach((run) => run.child.exitCode === null && run.child.signalCode === null && run.child.kill('SIGKILL')));
    const daemon = () => {
      const run = startDaemon({ config: configFile, db: dbFile, slos, env });
      runs.push(run);
      return run;
    };

    const random = seededRandom(seed);
    let backlogs = 0;
    let startupKills = 0;
    let inFlightAtKill = 0;
    let deliveredInRun = 0;
    for (let k = 0; k < kills; k++) {
      if (store.depth() === 0) {
        await plan.plan(groupsPerBacklog, Math.floor(Date.now() / 1000));
        backlogs += 1;
      }
      const before = states(db)['sent'] ?? 0;
      const run = daemon();
      const duringStartup = random() < startupShare;
      const delay = Math.floor(random() * (duringStartup ? startupKillMs : deliveryKillMs));
      const died = (ended: { code: number | null; signal: string | null }) => new Error(`the daemon exited by itself (${JSON.stringify(ended)}) before kill ${k + 1}:\n${run.logs()}`);
      if (!duringStartup) {
        const ended = await within(20_000, Promise.race([run.exited, run.listening.then(() => undefined)]));
        if (ended !== undefined) throw died(ended === 'timeout' ? { code: null, signal: 'not listening after 20 s' } : ended);
      }
      // The kill point is the experiment's variable, not a wait for something to happen.
      const ended = await within(delay, run.exited);
      if (ended !== 'timeout') throw died(ended);
      run.child.kill('SIGKILL');
      if (duringStartup) startupKills += 1;
      expect((await run.exited).signal).toBe('SIGKILL');
      const after = states(db);
      if ((after['sending'] ?? 0) > 0) inFlightAtKill += 1;
      if ((after['sent'] ?? 0) > before) deliveredInRun += 1;
    }

    const last = daemon();
    await pollUntil('the outbox to empty', () => store.depth() === 0, finishDeadlineMs, () => `${JSON.stringify(states(db))}\n${last.logs().slice(-3000)}`);
    last.child.kill('SIGTERM');
    expect((await last.exited).code).toBe(0);

    const planned = store.outbox().filter((row) => row.integration === 'payments/webhook');
    const plannedIds = new Set(planned.map((row) => row.id));
    const keys = hook.deliveries.map((d) => d.key);
    const distinct = new Set(keys);
    const lost = planned.filter((row) => !distinct.has(row.id)).map((row) => row.id);
    const stray = keys.filter((key) => !plannedIds.has(key));
    const arrival = new Map(keys.map((key, index) => [key, index]));
    const misnamed = planned.filter((row) => hook.byKey(row.id)?.payload.incidentId !== row.incident).map((row) => row.id);
    const overtaken = planned.filter((row) => row.id !== row.incident && (arrival.get(row.id) ?? -1) < (arrival.get(row.incident) ?? Infinity)).map((row) => row.id);
    const changedResends = hook.resends.filter((r) => {
      const first = hook.byKey(r.key)!.payload;
      return r.payload.notificationId !== r.key || r.payload.incidentId !== first.incidentId || r.payload.status !== first.status;
    });
    const refused = hook.requests.filter((r) => r.status === 401 || r.status === 400);
    const resentKeys = new Set(hook.resends.map((r) => r.key)).size;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);

    console.log(
      `webhook crash test (seed ${seed}): ${kills} kills (${startupKills} during start-up, ${inFlightAtKill} with deliveries in flight, ${deliveredInRun} after some delivery), ${backlogs} backlogs; ` +
        `${planned.length} notifications planned, ${hook.requests.length} requests received, ${distinct.size} distinct Idempotency-Keys delivered; ` +
        `lost ${lost.length}, stray ${stray.length}, duplicate deliveries by key ${keys.length - distinct.size}; ` +
        `raw resends of a key already delivered ${hook.resends.length} (${resentKeys} keys), absorbed by the receiver's deduplication; ` +
        `refused requests ${refused.length}; ${seconds} s`,
    );

    expect(lost).toEqual([]);
    expect(stray).toEqual([]);
    expect(keys.length).toBe(distinct.size);
    expect(distinct.size).toBe(planned.length);
    expect(misnamed).toEqual([]);
    expect(overtaken).toEqual([]);
    expect(changedResends).toEqual([]);
    expect(refused).toEqual([]);
    expect(store.outbox('failed')).toEqual([]);
    expect(states(db)).toEqual({ sent: 2 * groupsPerBacklog * backlogs });
    // The kills hit deliveries in flight (a webhook delivery is one request, so a row is `sending` for less time
    // than a Slack one and fewer kills catch it there), and some landed after the receiver took a request: it saw
    // the key again.
    expect(inFlightAtKill).toBeGreaterThanOrEqual(kills / 10);
    expect(hook.resends.length).toBeGreaterThan(0);
  }, 240_000);
});
