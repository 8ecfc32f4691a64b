import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { ManualClock } from '../../src/core/clock.js';
import { createApp, type App } from '../../src/daemon/app.js';
import { silentLogger } from '../../src/log.js';
import { loadSlos } from '../../src/slo/load.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { startPrometheus, type PrometheusServer } from '../support/prometheus-server.js';
import { writeScenarioFile, type ScenarioFile } from '../support/scenario-file.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

/**
 * A real Prometheus (33 days of backfilled history) goes unreachable for ten minutes in the middle of the
 * checkout fast burn. The page must not resolve because its data vanished, the no-data alert must fire once
 * the outage outlasts `noData.after` (5m), and when Prometheus is back the missed steps are replayed and the
 * page resolves only when the burn really stops.
 */
const end = Date.parse('2026-11-01T00:00:00Z') / 1000;
const minute = 60;

let scenario: ScenarioFile;
let prometheus: PrometheusServer;
let proxy: TcpProxy;
let slack: FakeSlack;
let smtp: SmtpSink;
let app: App;
let dir: string;
let burnStart: number;
let burnEnd: number;
let outage: { from: number; to: number };

beforeAll(async () => {
  scenario = await writeScenarioFile({ end, days: 33, scrapeInterval: 30 });
  prometheus = await startPrometheus({ openMetricsFile: scenario.path });
  proxy = await startTcpProxy(Number(new URL(prometheus.url).port));
  slack = await startFakeSlack();
  smtp = await startSmtpSink();
  dir = mkdtempSync(join(tmpdir(), 'burnrate-prom-down-'));
  const burn = scenario.incidents.find((i) => i.kind === 'fast-burn')!;
  burnStart = burn.start;
  burnEnd = burn.end;
  outage = { from: burnStart + 5 * minute, to: burnStart + 15 * minute };
  writeFileSync(
    join(dir, 'burnrate.yaml'),
    `backend:
  prometheus: {url: "http://127.0.0.1:${proxy.port}", timeout: 2s}
runbooks: ${resolve('runbooks')}
alerting:
  noData: {after: 5m, severity: ticket}
  delivery: {timeout: 2s}
receivers:
  - name: payments
    slack: {channel: "#payments-oncall", tokenEnv: SLACK_TOKEN, apiUrl: "${slack.url}"}
    email: {to: [oncall@example.com], from: burnrate@example.com, smtp: {host: 127.0.0.1, port: ${smtp.port}, tls: none}}
route: {receiver: payments, group_by: [slo], group_wait: 30s, group_interval: 5m, repeat_interval: 4h}
`,
  );
  const config = loadConfig(join(dir, 'burnrate.yaml'), true, { db: join(dir, 'burnrate.db') }, dir, { SLACK_TOKEN: slack.token });
  const slos = loadSlos(['slos'], { runbookDir: 'runbooks' }).slos.filter((slo) => slo.name === 'checkout-availability');
  const start = Math.floor((burnStart - 10 * minute) / 60) * 60;
  const clock = new ManualClock(start);
  app = createApp(config, slos, { clock, log: silentLogger, http: false, random: () => 0.5 });
  for (let now = start; now <= burnStart + 90 * minute; now += 1) {
    clock.set(now);
    if (now === outage.from) await proxy.down();
    if (now === outage.to) await proxy.up();
    if (now % 60 === 0) await app.tick();
    await app.notifyTick();
  }
}, 300_000);

afterAll(async () => {
  await app?.stop();
  await proxy?.close();
  await prometheus?.stop();
  await slack?.close();
  await smtp?.close();
  await scenario?.remove();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const slackRows = () => app.notifications.outbox().filter((row) => row.integration === 'payments/slack');
const states = (row: ReturnType<typeof slackRows>[number]) => row.notification.alerts.map((a) => `${a.alert.kind}/${a.alert.severity}:${a.alert.state}`);

describe('Prometheus unreachable for ten minutes during a fast burn', () => {
  it('counts the failed cycles as backend errors, then replays the missed steps from Prometheus once it is back', async () => {
    const errors = (await app.metrics.backendErrors.get()).values[0]?.value ?? 0;
    expect(errors).toBeGreaterThanOrEqual(9);
    const during = app.store.history('checkout-availability', outage.from + minute, outage.to - minute);
    expect(during).toHaveLength(9);
    // The history of the outage is not a gap or a false all-clear: the burn is there, read after the fact.
    expect(during.every((e) => e.status === 'ok' && e.page === 'firing')).toBe(true);
  });

  it('never resolves the page while its data is missing: the only resolve comes after the burn ends', () => {
    const resolvedAt = slackRows()
      .filter((row) => states(row).includes('burn/page:resolved'))
      .map((row) => row.createdAt);
    expect(resolvedAt).toHaveLength(1);
    expect(resolvedAt[0]).toBeGreaterThan(burnEnd);
  });

  it('fires the no-data alert once the outage outlasts noData.after, and resolves it when Prometheus is back', () => {
    const noDataFiring = slackRows().find((row) => states(row).includes('no_data/ticket:firing'));
    expect(noDataFiring).toBeDefined();
    expect(noDataFiring!.createdAt).toBeGreaterThanOrEqual(outage.from + 5 * minute);
    expect(noDataFiring!.createdAt).toBeLessThan(outage.to + 5 * minute);
    const noDataResolved = slackRows().find((row) => states(row).includes('no_data/ticket:resolved'));
    expect(noDataResolved!.createdAt).toBeGreaterThanOrEqual(outage.to);
  });

  it('pages once, keeps one Slack thread for the incident, and loses nothing', () => {
    // Two top-level messages: the page, and the no-data ticket (severity separates groups, so it is not an edit of the page).
    const firstVersions = slack.topLevel('#payments-oncall').map((m) => JSON.stringify(m.history[0] ?? m));
    expect(firstVersions).toEqual([expect.stringMatching(/FIRING · page · checkout-availability/), expect.stringMatching(/FIRING · ticket · checkout-availability.*No data/)]);
    const pageIncidents = new Set(slackRows().filter((row) => row.notification.alerts.every((a) => a.alert.severity === 'page')).map((row) => row.incident));
    expect(pageIncidents.size).toBe(1);
    expect(app.notifications.outbox().every((row) => row.state === 'sent')).toBe(true);
    expect(smtp.messages.length).toBe(slackRows().length);
    expect(slackRows().map(states)[0]).toEqual(['burn/page:firing']);
  });
});
