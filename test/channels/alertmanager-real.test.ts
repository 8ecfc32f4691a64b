import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PushResult } from '../../src/channels/alertmanager-output.js';
import { alertingApp, type AlertingApp } from '../support/alerting-app.js';
import { freePort, startAlertmanager, startReceivers, testAlertmanagerConfig, type AlertmanagerServer, type ReceiverServer } from '../support/alertmanager-server.js';

/**
 * burnrate daemons (createApp on fake clocks, synthetic traffic) feeding a real Alertmanager (Debian's
 * prometheus-alertmanager) that routes everything, grouped by slo, to a local webhook, a Slack incoming webhook
 * and PagerDuty, the last two through the shipped templates (examples/alertmanager/).
 *
 * Alertmanager judges endsAt by its own (real) clock, so the fake clocks run 20 minutes behind it: checkout
 * fails every request for 90 s from S+1m (the 1h/5m page fires at S+2m and resolves at S+8m, both in the past).
 * A firing alert is valid 4 resend intervals (40m here), so it still fires at Alertmanager when posted.
 */
const minute = 60;
const templates = resolve('examples/alertmanager');
const slo = 'checkout-availability';
const timeout = 120_000;

let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

function startOfTimeline(): number {
  return Math.floor(Date.now() / 1000 / minute) * minute - 20 * minute;
}

function daemon(start: number, urls: string[], name: string): AlertingApp {
  const h = alertingApp({
    start,
    configText: `
runbooks: ${resolve('runbooks')}
alerting:
  runbookBaseUrl: https://github.com/acme/slos/blob/main/runbooks/
  links: {dashboard: "https://grafana.example.com/d/slo?var-slo={{slo}}"}
deploys: {lookback: 24h}
alertmanager:
  urls: [${urls.join(', ')}]
  resendInterval: 10m
  timeout: 2s
  externalUrl: http://${name}.example:9464
`,
    env: {},
    traffic: { rate: 20, episodes: [{ slo, from: start + minute, to: start + minute + 90, ratio: 1 }] },
  });
  h.app.deploys.record(
    { service: 'checkout', environment: 'production', version: 'v2.14.0', commit: '9f3c2a1b7e', author: 'dana', finishedAt: start + 30, summary: 'Switch payment client to pooled connections', tags: [] },
    start + 30,
  );
  cleanups.push(() => h.close());
  return h;
}

/** Evaluates each minute until the page fires (or resolves), within `limit` minutes. */
async function until(h: AlertingApp, state: 'firing' | 'resolved', limit: number): Promise<void> {
  for (let i = 0; i < limit; i += 1) {
    h.clock.set(h.clock.now() + minute);
    await h.app.tick();
    if (h.app.alerts.notifiable().some((a) => a.severity === 'page' && a.kind === 'burn' && a.state === state)) return;
  }
  throw new Error(`the page did not turn ${state} within ${limit} minutes`);
}

async function push(h: AlertingApp): Promise<PushResult> {
  const result = await h.app.pushAlerts();
  if (result === undefined) throw new Error('no Alertmanager configured');
  return result;
}

async function receiversAndAlertmanager(): Promise<{ receivers: ReceiverServer; am: AlertmanagerServer }> {
  const receivers = await startReceivers();
  cleanups.push(() => receivers.close());
  const am = await startAlertmanager({ config: testAlertmanagerConfig(receivers.url, templates) });
  cleanups.push(() => am.stop());
  return { receivers, am };
}

/** Polls each member's /api/v2/status until it lists two peers (60 s deadline). */
async function waitForPeers(urls: string[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (const url of urls) {
    for (;;) {
      const status = (await (await fetch(`${url}/api/v2/status`)).json()) as { cluster?: { status?: string; peers?: unknown[] } };
      if ((status.cluster?.peers?.length ?? 0) >= 2 && status.cluster?.status === 'ready') break;
      if (Date.now() > deadline) throw new Error(`the Alertmanager at ${url} did not join its peer: ${JSON.stringify(status.cluster)}`);
      await new Promise((ok) => setTimeout(ok, 100));
    }
  }
}

/** Polls the members' /metrics until one of them has gossiped a notification log entry (60 s deadline). */
async function waitForGossip(urls: string[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const texts = await Promise.all(urls.map(async (url) => (await fetch(`${url}/metrics`)).text()));
    const propagated = texts.map((text) => Number(/^alertmanager_nflog_gossip_messages_propagated_total (\S+)$/m.exec(text)?.[1] ?? 0));
    if (propagated.some((n) => n >= 1)) return;
    if (Date.now() > deadline) throw new Error('no notification log entry was gossiped between the members');
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

const notificationsOf = (receivers: ReceiverServer, status: string) => receivers.webhooks().filter((w) => w.status === status && w.groupKey.includes(`slo="${slo}"`));

describe('the Alertmanager output against a real Alertmanager', () => {
  it(
    "one daemon: the page reaches the receiver once, with the runbook and the deploy (through the shipped Slack and PagerDuty templates), then its resolve",
    async () => {
      const { receivers, am } = await receiversAndAlertmanager();
      const h = daemon(startOfTimeline(), [am.url], 'burnrate-a');
      await until(h, 'firing', 6);
      expect((await push(h)).outcomes).toEqual([{ url: am.url, outcome: { kind: 'ok' } }]);
      await receivers.waitFor(() => notificationsOf(receivers, 'firing').length > 0, 'the firing notification');

      const [firing] = notificationsOf(receivers, 'firing');
      const page = firing!.alerts.find((a) => a.labels['tier'] === 'page')!;
      expect(page.labels).toMatchObject({ alertname: 'SLOBurnRate', slo, service: 'checkout', severity: 'page', tier: 'page', team: 'payments' });
      expect(page.annotations['runbook']).toContain('# Checkout availability');
      expect(page.annotations['runbook_text']).toContain('Checkout availability');
      expect(page.annotations['runbook_url']).toBe('https://github.com/acme/slos/blob/main/runbooks/checkout-availability.md');
      expect(page.annotations['deploy']).toMatch(/^checkout v2\.14\.0 \(9f3c2a1\) to production by dana, .* before the burn began: Switch payment client/);
      expect(page.annotations['budget_remaining']).toMatch(/%$/);
      expect(page.annotations['dashboard_url']).toBe('https://grafana.example.com/d/slo?var-slo=checkout-availability');

      await receivers.waitFor(() => receivers.received.some((r) => r.path === '/slack') && receivers.received.some((r) => r.path === '/pagerduty'), 'the Slack and PagerDuty notifications');
      const slack = receivers.received.find((r) => r.path === '/slack')!.body as { attachments: Array<{ title: string; text: string }> };
      expect(slack.attachments[0]!.title).toContain(`[FIRING:1] ${slo} (page)`);
      expect(slack.attachments[0]!.text).toContain('*Preceding deploy:* checkout v2.14.0 (9f3c2a1) to production by dana');
      expect(slack.attachments[0]!.text).toContain('*Runbook*');
      expect(slack.attachments[0]!.text).toContain('Every failed checkout is a customer who could not');
      const pagerduty = receivers.received.find((r) => r.path === '/pagerduty')!.body as { event_action: string; payload: { summary: string; custom_details: Record<string, string> } };
      expect(pagerduty.event_action).toBe('trigger');
      expect(pagerduty.payload.summary).toContain(`${slo} (checkout) is burning its error budget (page)`);
      expect(pagerduty.payload.custom_details['deploy']).toContain('checkout v2.14.0 (9f3c2a1)');
      expect(pagerduty.payload.custom_details['runbook']).toContain('Every failed checkout is a customer who could not');

      // Still firing a few minutes later: posted again, no second notification.
      h.clock.set(h.clock.now() + 2 * minute);
      await h.app.tick();
      await push(h);
      await until(h, 'resolved', 15);
      await push(h);
      await receivers.waitFor(() => notificationsOf(receivers, 'resolved').length > 0, 'the resolved notification');
      expect(notificationsOf(receivers, 'firing')).toHaveLength(1);
      expect(notificationsOf(receivers, 'resolved')).toHaveLength(1);
      expect(notificationsOf(receivers, 'resolved')[0]!.alerts.every((a) => a.status === 'resolved')).toBe(true);
    },
    timeout,
  );

  it(
    'two daemons evaluating the same SLO feed one Alertmanager: one notification for the group, one resolve',
    async () => {
      const { receivers, am } = await receiversAndAlertmanager();
      const start = startOfTimeline();
      const a = daemon(start, [am.url], 'burnrate-a');
      const b = daemon(start, [am.url], 'burnrate-b');
      await until(a, 'firing', 6);
      await until(b, 'firing', 6);
      await push(a);
      await push(b);
      await receivers.waitFor(() => notificationsOf(receivers, 'firing').length > 0, 'the firing notification');
      // The second daemon posts again after the notification went out: the same labels, the same alert.
      await push(b);
      await push(a);
      await until(a, 'resolved', 15);
      await until(b, 'resolved', 15);
      await push(b);
      await push(a);
      await receivers.waitFor(() => notificationsOf(receivers, 'resolved').length > 0, 'the resolved notification');
      expect(notificationsOf(receivers, 'firing')).toHaveLength(1);
      expect(notificationsOf(receivers, 'resolved')).toHaveLength(1);
      const alerts = await (await fetch(`${am.url}/api/v2/alerts?active=true&silenced=true&inhibited=true&unprocessed=true`)).json() as unknown[];
      expect(alerts.filter((alert) => (alert as { labels: Record<string, string> }).labels['slo'] === slo && (alert as { status: { state: string } }).status.state !== 'resolved')).toEqual([]);
    },
    timeout,
  );

  it(
    'two Alertmanagers in a cluster, each fed by both daemons: one notification for the group, one resolve',
    async () => {
      const receivers = await startReceivers();
      cleanups.push(() => receivers.close());
      const [gossip0, gossip1] = [await freePort(), await freePort()];
      const config = testAlertmanagerConfig(receivers.url, templates);
      const [am0, am1] = await Promise.all([
        startAlertmanager({ config, cluster: { port: gossip0, peers: [`127.0.0.1:${gossip1}`] } }),
        startAlertmanager({ config, cluster: { port: gossip1, peers: [`127.0.0.1:${gossip0}`] } }),
      ]);
      cleanups.push(() => am0.stop(), () => am1.stop());
      // Both members see each other before any alert arrives.
      await waitForPeers([am0.url, am1.url]);
      const start = startOfTimeline();
      const a = daemon(start, [am0.url, am1.url], 'burnrate-a');
      const b = daemon(start, [am0.url, am1.url], 'burnrate-b');
      await until(a, 'firing', 6);
      await until(b, 'firing', 6);
      for (const result of [await push(a), await push(b)]) expect(result.outcomes.map((o) => o.outcome.kind)).toEqual(['ok', 'ok']);
      await receivers.waitFor(() => notificationsOf(receivers, 'firing').length > 0, 'the firing notification');
      // The member that notified gossips its notification log entry; the other one then stays silent.
      await waitForGossip([am0.url, am1.url]);
      await until(a, 'resolved', 15);
      await until(b, 'resolved', 15);
      await push(a);
      await push(b);
      await receivers.waitFor(() => notificationsOf(receivers, 'resolved').length > 0, 'the resolved notification');
      expect(notificationsOf(receivers, 'firing')).toHaveLength(1);
      expect(notificationsOf(receivers, 'resolved')).toHaveLength(1);
    },
    timeout,
  );

  it(
    'Alertmanager down while the page fires, then up: the next post delivers it (nothing lost)',
    async () => {
      const receivers = await startReceivers();
      cleanups.push(() => receivers.close());
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const h = daemon(startOfTimeline(), [url], 'burnrate-a');
      await until(h, 'firing', 6);
      const down = await push(h);
      expect(down.outcomes[0]!.outcome.kind).toBe('retry');
      h.clock.set(h.clock.now() + minute);
      await h.app.tick();
      expect((await push(h)).outcomes[0]!.outcome.kind).toBe('retry');

      const am = await startAlertmanager({ config: testAlertmanagerConfig(receivers.url, templates), port });
      cleanups.push(() => am.stop());
      expect((await push(h)).outcomes).toEqual([{ url, outcome: { kind: 'ok' } }]);
      await receivers.waitFor(() => notificationsOf(receivers, 'firing').length > 0, 'the firing notification');
      expect(notificationsOf(receivers, 'firing')[0]!.alerts.some((a) => a.labels['tier'] === 'page' && a.status === 'firing')).toBe(true);
    },
    timeout,
  );
});
