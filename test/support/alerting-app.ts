import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createMemoryBackend } from '../../src/backends/memory-backend.js';
import { loadConfig } from '../../src/config/load-config.js';
import { ManualClock } from '../../src/core/clock.js';
import { createApp, type App, type AppOptions } from '../../src/daemon/app.js';
import { silentLogger } from '../../src/log.js';
import type { Slo } from '../../src/slo/model.js';
import { startFakeSlack, type FakeSlack } from './fake-slack.js';
import { startSmtpSink, type SmtpSink } from './smtp-sink.js';
import { testSlo } from './slo-fixture.js';
import { syntheticIndicator, syntheticTraffic, type Traffic } from './synthetic-traffic.js';

export interface AlertingApp {
  app: App;
  clock: ManualClock;
  slos: Slo[];
  dir: string;
  /** Advances the fake clock second by second to `until`: evaluation on each minute, a delivery beat each second. */
  runUntil(until: number, onSecond?: (now: number) => void): Promise<void>;
  close(): Promise<void>;
}

/**
 * A burnrate.yaml routing team payments to one receiver whose integrations are `integrations` (YAML lines, each
 * indented by four spaces, e.g. `    slack: {…}`).
 */
export function receiverConfigText(integrations: string, groupWait = '30s', groupBy = '[slo]'): string {
  return `
runbooks: ${resolve('runbooks')}
alerting:
  noData: {after: 10m, severity: ticket}
  runbookBaseUrl: https://github.com/acme/slos/blob/main/runbooks/
  links:
    dashboard: https://grafana.example.com/d/slo?var-slo={{slo}}
  delivery: {giveUpAfter: 2h, timeout: 2s}
deploys:
  lookback: 24h
receivers:
  - name: payments
${integrations}
route:
  receiver: payments
  group_by: ${groupBy}
  group_wait: ${groupWait}
  group_interval: 5m
  repeat_interval: 4h
`;
}

/** A burnrate.yaml routing team payments to a Slack channel and an email address. */
export function alertingConfigText(slack: FakeSlack, smtp: SmtpSink, groupWait = '30s', groupBy = '[slo]'): string {
  return receiverConfigText(
    `    slack: {channel: "#payments-oncall", tokenEnv: SLACK_TOKEN, apiUrl: "${slack.url}"}
    email:
      to: [oncall-payments@example.com]
      from: burnrate@example.com
      smtp: {host: 127.0.0.1, port: ${smtp.port}, tls: none}`,
    groupWait,
    groupBy,
  );
}

/** The daemon's composition root on a fake clock, with synthetic traffic in place of a metric backend. */
export function alertingApp(options: { start: number; slos?: Slo[]; traffic: Traffic; configText: string; env: Record<string, string>; loadSettings?: AppOptions['loadSettings'] }): AlertingApp {
  const dir = mkdtempSync(join(tmpdir(), 'burnrate-alerting-'));
  const file = join(dir, 'burnrate.yaml');
  writeFileSync(file, options.configText);
  const config = loadConfig(file, true, { db: join(dir, 'burnrate.db') }, dir, options.env);
  const slos = options.slos ?? [checkoutSlo()];
  const clock = new ManualClock(options.start);
  const app = createApp(config, slos, {
    clock,
    log: silentLogger,
    http: false,
    backend: createMemoryBackend({ value: syntheticTraffic(options.traffic) }),
    random: () => 0.5,
    ...(options.loadSettings && { loadSettings: options.loadSettings }),
  });
  return {
    app,
    clock,
    slos,
    dir,
    async runUntil(until, onSecond) {
      for (let now = clock.now() + 1; now <= until; now += 1) {
        clock.set(now);
        if (now % 60 === 0) await app.tick();
        await app.notifyTick();
        onSecond?.(now);
      }
    },
    async close() {
      await app.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** checkout-availability at 99.9% over 30 days, workbook windows, with the repo's real runbook. */
export function checkoutSlo(name = 'checkout-availability', service = 'checkout'): Slo {
  const slo = testSlo({ name, service, labels: { team: 'payments' }, indicator: syntheticIndicator(name), minEvents: 100 });
  slo.alerting.tiers.page = { runbook: 'checkout-availability.md', for: 0 };
  slo.alerting.tiers.ticket = { runbook: 'checkout-availability.md', for: 0 };
  return { ...slo, description: 'Checkout requests succeed (no 5xx responses).' };
}

/**
 * The README's tiers on a fake clock: checkout with `for: 2m` on the page tier and none on the ticket tier, routed
 * to a local Slack and a real SMTP sink, both started here.
 */
export async function readmeTiersApp(options: { start: number; traffic: Traffic }): Promise<{ app: AlertingApp; slack: FakeSlack; smtp: SmtpSink }> {
  const slack = await startFakeSlack();
  const smtp = await startSmtpSink();
  const slo = checkoutSlo();
  slo.alerting.tiers.page = { runbook: 'checkout-availability.md', for: 120 };
  slo.alerting.tiers.ticket = { runbook: 'checkout-availability.md', for: 0 };
  const app = alertingApp({ start: options.start, slos: [slo], configText: alertingConfigText(slack, smtp), env: { SLACK_TOKEN: slack.token }, traffic: options.traffic });
  return { app, slack, smtp };
}
