import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AlertStore } from '../../src/alerting/alert-store.js';
import { loadConfig } from '../../src/config/load-config.js';
import { NotifyStore } from '../../src/notify/notify-store.js';
import { openDatabase, type Db } from '../../src/store/database.js';
import { startFakePagerDuty, type FakePagerDuty } from '../support/fake-pagerduty.js';
import { backlog } from './backlog.js';
import { startDaemon, type DaemonRun } from './daemon.js';
import { startLatencyProxy, type LatencyProxy } from './latency-proxy.js';
import { seededRandom } from './prng.js';
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
const deliveryKillMs = 2000;
const startupShare = 0.2;
const oneWayLatencyMs = 40;
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

async function pollUntil(what: string, probe: () => boolean, deadlineMs: number, detail: () => string): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}: ${detail()}`);
    await new Promise((ok) => setTimeout(ok, 50));
  }
}

/** `promise`'s value, or 'timeout' once `ms` passed. */
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
    expect(states(db)).toEqual({ sent: 2 * groupsPerBacklog * backlogs });
    // The kills hit deliveries in flight, and some after PagerDuty had taken the event (sent again, folded away).
    expect(inFlightAtKill).toBeGreaterThanOrEqual(kills / 5);
    expect(tally.resends).toBeGreaterThan(0);
  }, 240_000);
});
