import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AlertStore } from '../../src/alerting/alert-store.js';
import { loadConfig } from '../../src/config/load-config.js';
import { NotifyStore } from '../../src/notify/notify-store.js';
import { openDatabase } from '../../src/store/database.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { backlog } from './backlog.js';
import { killRepeatedly, outboxStates, pollUntil } from './kill-loop.js';
import { logLines, startDaemon, type DaemonRun } from './daemon.js';
import { startLatencyProxy, type LatencyProxy } from './latency-proxy.js';
import { tallyEmail, tallySlack } from './tally.js';

/**
 * The real daemon (`node bin/burnrate.js run`, built to dist/) delivers a backlog of pages and resolves to a
 * Slack API and an SMTP server behind a network with latency, and is SIGKILLed at random points: during
 * start-up, between marking a row `sending` and the request, while a request is on the wire, after the
 * receiver acted but before the answer, after the answer but before the outcome was committed. After the last
 * restart has emptied the outbox, the receivers must hold every planned notification exactly once.
 *
 * Lanes deliver concurrently, so one backlog of incident groups drains in about two beats; whenever a kill
 * finds the outbox empty, the next backlog is planned (while the daemon is down) before the restart, so every
 * kill lands on work.
 */
const seed = Number(process.env['CRASH_SEED'] ?? 20_261_122);
const kills = 50;
const groupsPerBacklog = 30;
/**
 * Where kills land: a fifth during start-up (up to this long after spawning; start-up takes about 0.5 s),
 * the rest up to `deliveryKillMs` after the HTTP port opened, when the first beat begins (a backlog takes two
 * beats, one second apart). Counting from the port keeps the kills on deliveries on a loaded machine too.
 */
const startupKillMs = 700;
const deliveryKillMs = 2000;
const startupShare = 0.2;
const oneWayLatencyMs = 40;
const finishDeadlineMs = 60_000;

const dir = mkdtempSync(join(tmpdir(), 'burnrate-crash-'));
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

function configText(slackUrl: string, smtpPort: number): string {
  return `runbooks: ${resolve('runbooks')}
logLevel: info
alerting:
  noData: {after: 1d, severity: ticket}
  runbookBaseUrl: https://github.com/acme/slos/blob/main/runbooks/
  delivery: {giveUpAfter: 2h, timeout: 10s, recoverAfter: 1s}
receivers:
  - name: payments
    slack: {channel: "#payments-oncall", tokenEnv: SLACK_TOKEN, apiUrl: "${slackUrl}"}
    email:
      to: [oncall-payments@example.com]
      from: burnrate@example.com
      smtp: {host: 127.0.0.1, port: ${smtpPort}, tls: none}
route:
  receiver: payments
  group_by: [slo]
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 4h
`;
}

/** `promise`'s value, or 'timeout' once `ms` passed. */
describe('delivery survives SIGKILL at any point', () => {
  it(`${kills} kills of the daemon mid-delivery: every page and resolve arrives, none twice`, async () => {
    const started = Date.now();
    const slack: FakeSlack = await startFakeSlack();
    const smtp: SmtpSink = await startSmtpSink();
    const slackPath = new URL(slack.url);
    const slackProxy: LatencyProxy = await startLatencyProxy({ host: slackPath.hostname, port: Number(slackPath.port) }, oneWayLatencyMs);
    const smtpProxy: LatencyProxy = await startLatencyProxy({ host: smtp.host, port: smtp.port }, oneWayLatencyMs);
    cleanups.push(() => slack.close(), () => smtp.close(), () => slackProxy.close(), () => smtpProxy.close());

    const slos = join(dir, 'slos');
    mkdirSync(slos);
    writeFileSync(join(slos, 'catalog.yaml'), sloYaml);
    const configFile = join(dir, 'burnrate.yaml');
    writeFileSync(configFile, configText(`http://127.0.0.1:${slackProxy.port}/api/`, smtpProxy.port));
    const dbFile = join(dir, 'burnrate.db');
    const env = { SLACK_TOKEN: slack.token };
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

    const outbox = store.outbox();
    const planned = (integration: string) => outbox.filter((row) => row.integration === integration).map((row) => ({ id: row.id, incident: row.incident }));
    const slackTally = tallySlack(planned('payments/slack'), slack.messages);
    const emailTally = tallyEmail(planned('payments/email'), smtp.messages, 'example.com');
    const logs = runs.map((run) => run.logs()).join('\n');
    const recovered = logLines(logs, 'interrupted delivery had arrived: not sending again').length;
    const calls = (method: string) => slack.calls.filter((call) => call.method === method).length;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);

    console.log(
      `crash test (seed ${seed}): ${kills} kills (${startupKills} during start-up, ${inFlightAtKill} with deliveries in flight, ${deliveredInRun} after some delivery), ${backlogs} backlogs, ` +
        `${outbox.length} notifications (${slackTally.planned} Slack, ${emailTally.planned} email); ` +
        `Slack calls ${slack.calls.length} (postMessage ${calls('chat.postMessage')}, update ${calls('chat.update')}, history ${calls('conversations.history')}, replies ${calls('conversations.replies')}); ` +
        `Slack lost ${slackTally.lost.length}, duplicated ${slackTally.duplicated.length}; emails received ${smtp.messages.length}, lost ${emailTally.lost.length}, ` +
        `duplicates as a reader sees them ${emailTally.readerDuplicates}, raw SMTP re-deliveries (same Message-ID) ${emailTally.rawRedeliveries}; ` +
        `recoveries found by findDelivered ${recovered}; ${seconds} s`,
    );

    expect(slackTally.lost).toEqual([]);
    expect(slackTally.duplicated).toEqual([]);
    expect(slackTally.stray).toBe(0);
    expect(slackTally.misplaced).toEqual([]);
    expect(slackTally.notUpdated).toEqual([]);
    expect(slack.topLevel('#payments-oncall')).toHaveLength(groupsPerBacklog * backlogs);

    expect(emailTally.lost).toEqual([]);
    expect(emailTally.readerDuplicates).toBe(0);
    expect(emailTally.misthreaded).toEqual([]);
    expect(smtp.messages).toHaveLength(emailTally.planned + emailTally.rawRedeliveries);

    // Every delivery finished, none given up, and the daemon planned nothing of its own beyond the backlogs.
    expect(store.outbox('failed')).toEqual([]);
    expect(outboxStates(db)).toEqual({ sent: 4 * groupsPerBacklog * backlogs });
    // The kills hit deliveries in flight, and some came after the receiver had acted (found again, not resent).
    expect(inFlightAtKill).toBeGreaterThanOrEqual(kills / 5);
    expect(recovered).toBeGreaterThan(0);
  }, 240_000);
});
