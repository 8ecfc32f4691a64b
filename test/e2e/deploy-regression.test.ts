import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertingApp, alertingConfigText, type AlertingApp } from '../support/alerting-app.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

/**
 * The daemon's watch after a deploy, on a fake clock: checkout serves 50 requests/s at 0.1% errors; a deploy lifts
 * them to 0.5% (a 5× burn, below both page tiers: the burn-rate rules alone would ticket after about 14 hours).
 * The daemon compares the service since the deploy with before it every cycle and pages a DeployRegression that
 * names the deploy, both ratios and how to roll back; the rollback is a deploy too, and once the service is back
 * at its level before the bad deploy the DeployRegression resolves.
 */
const minute = 60;
const t0 = Date.parse('2026-11-03T13:00:00Z') / 1000;
const deployedAt = t0 + 40 * minute + 17;
const rolledBackAt = deployedAt + 20 * minute;

let slack: FakeSlack;
let smtp: SmtpSink;
let h: AlertingApp;
let pagedAt: number | undefined;

beforeAll(async () => {
  slack = await startFakeSlack();
  smtp = await startSmtpSink();
  h = alertingApp({
    start: t0 - 1,
    configText: `${alertingConfigText(slack, smtp)}verification:\n  rollback: "kubectl rollout undo deployment/{{service}}"\n`,
    env: { SLACK_TOKEN: slack.token },
    traffic: {
      rate: 50,
      episodes: [
        { slo: 'checkout-availability', from: t0 - 86_400, to: deployedAt, ratio: 0.001 },
        { slo: 'checkout-availability', from: deployedAt, to: rolledBackAt, ratio: 0.005 },
        { slo: 'checkout-availability', from: rolledBackAt, to: t0 + 86_400, ratio: 0.001 },
      ],
    },
  });
  h.app.deploys.record({ service: 'checkout', environment: 'production', version: 'v2.14.0', commit: '9f3c2a1b7e', author: 'dana', finishedAt: deployedAt, summary: 'New payment provider client', rollbackUrl: 'https://ci.example.com/checkout/rollback?to=v2.13.4', tags: [] }, deployedAt);
  await h.runUntil(rolledBackAt - 1, (now) => {
    if (pagedAt === undefined && slack.topLevel('#payments-oncall').length > 0) pagedAt = now;
  });
}, 120_000);

afterAll(async () => {
  await h?.close();
  await slack?.close();
  await smtp?.close();
});

describe('a deploy that lifts the error ratio from 0.1% to 0.5%', () => {
  it('pages a DeployRegression within 10 minutes of the deploy, while no burn-rate tier fires', () => {
    expect(pagedAt).toBeDefined();
    expect(pagedAt! - deployedAt).toBeLessThanOrEqual(10 * minute);
    const alerts = h.app.alerts.all();
    expect(alerts.filter((a) => a.kind === 'burn' && a.state !== 'resolved')).toEqual([]);
    expect(alerts.filter((a) => a.kind === 'deploy_regression').map((a) => [a.labels['alertname'], a.severity, a.state])).toEqual([['DeployRegression', 'page', 'firing']]);
  });

  it('the page names the deploy, both ratios with their events, and how to roll back', () => {
    const [page] = slack.topLevel('#payments-oncall');
    const text = JSON.stringify(page);
    expect(text).toContain('Worse since the deploy');
    expect(text).toContain('checkout v2.14.0 (9f3c2a1 by dana)');
    expect(text).toMatch(/error ratio 0\.5% \([\d,]+ of [\d,]+\) after the deploy against 0\.1% \([\d,]+ of [\d,]+\) before it, burning 5×, &gt;99\.99% confidence/);
    expect(text).toContain('kubectl rollout undo deployment/checkout');
    expect(text).toContain('<https://ci.example.com/checkout/rollback?to=v2.13.4|roll back this deploy>');
    const [email] = smtp.messages;
    expect(email!.subject).toMatch(/FIRING.*page.*checkout-availability.*worse since checkout v2\.14\.0/);
    expect(email!.text).toContain('Roll back       kubectl rollout undo deployment/checkout');
    expect(email!.text).toContain('Roll back at    https://ci.example.com/checkout/rollback?to=v2.13.4');
  });

  it('the page shows the budget the live deploy has cost so far, from the ledger', () => {
    const text = JSON.stringify(slack.topLevel('#payments-oncall')[0]);
    const match = /Budget cost of recent deploys:\* v2\.14\.0 \(9f3c2a1, (\d+)m ago, live\) ([\d.]+)%/.exec(text);
    expect(match, text).not.toBeNull();
    // At most its errors (0.5% of 50/s) over the minutes since it landed, plus the bucket it landed in, against the
    // budget of the window's events (0.1% of 50/s since t0 − 1 day); the ledger's settled buckets can lag the figures.
    const live = (Number(match![1]) + 2) * minute;
    const most = ((0.005 * live) / (0.001 * (deployedAt - (t0 - 86_400)))) * 100;
    expect(Number(match![2])).toBeGreaterThan(0);
    expect(Number(match![2])).toBeLessThanOrEqual(most);
  });

  it('the rollback (a deploy) ends it: the DeployRegression resolves once the service is back to its level', async () => {
    h.app.deploys.record({ service: 'checkout', environment: 'production', version: 'v2.13.9', commit: '77aa01c', author: 'dana', finishedAt: rolledBackAt, summary: 'Roll back v2.14.0', tags: [] }, rolledBackAt);
    await h.runUntil(rolledBackAt + 15 * minute);
    const regression = h.app.alerts.all().find((a) => a.kind === 'deploy_regression')!;
    expect(regression.state).toBe('resolved');
    expect(regression.resolvedAt! - rolledBackAt).toBeLessThanOrEqual(10 * minute);
    const statuses = h.app.notifications.outbox().map((row) => `${row.integration} ${row.notification.status}`);
    expect(statuses).toEqual(['payments/slack firing', 'payments/email firing', 'payments/slack resolved', 'payments/email resolved']);
  }, 120_000);
});
