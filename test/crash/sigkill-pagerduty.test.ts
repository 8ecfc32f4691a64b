import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AlertStore } from '../../src/alerting/alert-store.js';
import { loadConfig } from '../../src/config/load-config.js';
import { NotifyStore } from '../../src/notify/notify-store.js';
import { openDatabase } from '../../src/store/database.js';
import { startFakePagerDuty, type FakePagerDuty } from '../support/fake-pagerduty.js';
import { backlog } from './backlog.js';
import { killRepeatedly, outboxStates, pollUntil } from './kill-loop.js';
import { startDaemon, type DaemonRun } from './daemon.js';
import { startLatencyProxy, type LatencyProxy } from './latency-proxy.js';
import { tallyPagerDuty } from './tally-pagerduty.js';

/**
 * The SIGKILL delivery test (sigkill-delivery.test.ts) for PagerDuty: the real daemon (`node bin/burnrate.js
 * run`, built to dist/) delivers backlogs of pages and resolves to a local Events API v2 behind a network with
 * latency and is SIGKILLed at random points, during start-up and mid-delivery. PagerDuty cannot be asked what
 * arrived, so an interrupted delivery is sent again; its dedup_key (the incident's id) makes PagerDuty fold the
 * resend into the alert it opened. After the last restart has emptied the outbox, every page must have opened
 * exactly one PagerDuty incident and every resolve must have resolved it.
 */
const seed = Number(process.env['CRASH_SEED'] ?? 20_261_123);
const kills = 50;
const groupsPerBacklog = 30;
const startupKillMs = 700;
const deliveryKillMs = 1500;
const startupShare = 0.2;
// A receiver 300 ms away: each request is in flight long enough that random kills land inside some of them.
const oneWayLatencyMs = 300;
const finishDeadlineMs = 60_000;

const dir = mkdtempSync(join(tmpdir(), 'burnrate-crash-pd-'));
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

function configText(pagerDutyUrl: string): string {
  return `runbooks: ${resolve('runbooks')}
logLevel: info
alerting:
  noData: {after: 1d, severity: ticket}
  runbookBaseUrl: https://github.com/acme/slos/blob/main/runbooks/
  delivery: {giveUpAfter: 2h, timeout: 10s, recoverAfter: 1s}
receivers:
  - name: payments
    pagerduty: {routingKeyEnv: PAGERDUTY_ROUTING_KEY, url: "${pagerDutyUrl}"}
route:
  receiver: payments
  group_by: [slo]
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 4h
`;
}

/** `promise`'s value, or 'timeout' once `ms` passed. */
describe('PagerDuty delivery survives SIGKILL at any point', () => {
  it(`${kills} kills of the daemon mid-delivery: every page opens one incident, every resolve resolves it`, async () => {
    const started = Date.now();
    const pd: FakePagerDuty = await startFakePagerDuty();
    const pdUrl = new URL(pd.url);
    const proxy: LatencyProxy = await startLatencyProxy({ host: pdUrl.hostname, port: Number(pdUrl.port) }, oneWayLatencyMs);
    cleanups.push(() => pd.close(), () => proxy.close());

    const slos = join(dir, 'slos');
    mkdirSync(slos);
    writeFileSync(join(slos, 'catalog.yaml'), sloYaml);
    const configFile = join(dir, 'burnrate.yaml');
    writeFileSync(configFile, configText(`http://127.0.0.1:${proxy.port}`));
    const dbFile = join(dir, 'burnrate.db');
    const env = { PAGERDUTY_ROUTING_KEY: pd.routingKey };
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
    // The outbox may have emptied before this run started (the last kill came after the last delivery): stop it
    // once it is up, when SIGTERM is the daemon's to answer.
    await last.listening;
    last.child.kill('SIGTERM');
    expect((await last.exited).code).toBe(0);

    const planned = store
      .outbox()
      .filter((row) => row.integration === 'payments/pagerduty')
      .map((row) => ({ id: row.id, incident: row.incident }));
    const tally = tallyPagerDuty(planned, pd.events, pd.alerts);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `PagerDuty crash test (seed ${seed}): ${kills} kills (${startupKills} during start-up, ${inFlightAtKill} with deliveries in flight, ${deliveredInRun} after some delivery), ${backlogs} backlogs, ` +
        `${tally.planned} notifications; requests ${pd.requests.length}, events accepted ${pd.events.length} (resends folded by dedup_key ${tally.resends}); ` +
        `incidents ${pd.alerts.length}, lost ${tally.lost.length}, duplicate incidents ${tally.duplicateIncidents.length}, unresolved ${tally.unresolved.length}; ${seconds} s`,
    );

    expect(tally.lost).toEqual([]);
    expect(tally.duplicateIncidents).toEqual([]);
    expect(tally.unresolved).toEqual([]);
    expect(tally.stray).toBe(0);
    expect(pd.alerts).toHaveLength(groupsPerBacklog * backlogs);
    expect(pd.requests.filter((r) => r.status !== 202 && r.status !== 0)).toEqual([]);

    expect(store.outbox('failed')).toEqual([]);
    expect(outboxStates(db)).toEqual({ sent: 2 * groupsPerBacklog * backlogs });
    // The kills hit deliveries in flight, and some after PagerDuty had taken the event (sent again, folded away).
    expect(inFlightAtKill).toBeGreaterThanOrEqual(kills / 5);
    expect(tally.resends).toBeGreaterThan(0);
  }, 240_000);
});
