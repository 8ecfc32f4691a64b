import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AlertStore } from '../../src/alerting/alert-store.js';
import { loadConfig } from '../../src/config/load-config.js';
import { NotifyStore } from '../../src/notify/notify-store.js';
import { openDatabase } from '../../src/store/database.js';
import { startFakeWebhook, type FakeWebhook } from '../support/fake-webhook.js';
import { backlog } from './backlog.js';
import { killRepeatedly, outboxStates, pollUntil } from './kill-loop.js';
import { startDaemon, type DaemonRun } from './daemon.js';
import { startLatencyProxy, type LatencyProxy } from './latency-proxy.js';

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
const deliveryKillMs = 1500;
const startupShare = 0.2;
// A receiver 300 ms away: each request is in flight long enough that random kills land inside some of them.
const oneWayLatencyMs = 300;
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

    const { backlogs, startupKills, inFlightAtKill, deliveredInRun } = await killRepeatedly({
      seed,
      kills,
      groupsPerBacklog,
      startupShare,
      startupKillMs,
      deliveryKillMs,
      db,
      store,
      plan,
      daemon,
    });

    const last = daemon();
    await pollUntil('the outbox to empty', () => store.depth() === 0, finishDeadlineMs, () => `${JSON.stringify(outboxStates(db))}\n${last.logs().slice(-3000)}`);
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
    expect(outboxStates(db)).toEqual({ sent: 2 * groupsPerBacklog * backlogs });
    // The kills hit deliveries in flight (a webhook delivery is one request, so a row is `sending` for less time
    // than a Slack one and fewer kills catch it there), and some landed after the receiver took a request: it saw
    // the key again.
    expect(inFlightAtKill).toBeGreaterThanOrEqual(kills / 10);
    expect(hook.resends.length).toBeGreaterThan(0);
  }, 240_000);
});
