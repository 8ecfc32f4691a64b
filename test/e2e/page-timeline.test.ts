import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertingApp, alertingConfigText, type AlertingApp } from '../support/alerting-app.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

/**
 * The page an on-call person gets, on a fake clock: a 99.9% SLO, 100% errors from t=0 for ten minutes.
 * The workbook's 1h/5m pair fires after (1 − 0.999) / 1 × 1h × 14.4 = 51.84 s of errors; evaluation runs every
 * minute and the route's group_wait is 30 s, so the page must arrive between 51.84 s and 51.84 + 60 + 30 s.
 */
const t0 = Date.parse('2026-11-02T09:00:00Z') / 1000;
const burnStart = t0 + 600;
const predicted = 51.84;

let slack: FakeSlack;
let smtp: SmtpSink;
let h: AlertingApp;
const arrivals = { slack: [] as number[], email: [] as number[] };

beforeAll(async () => {
  slack = await startFakeSlack();
  smtp = await startSmtpSink();
  h = alertingApp({
    start: t0 - 1,
    configText: alertingConfigText(slack, smtp),
    env: { SLACK_TOKEN: slack.token },
    traffic: { rate: 20, episodes: [{ slo: 'checkout-availability', from: burnStart, to: burnStart + 600, ratio: 1 }] },
  });
  h.app.deploys.record(
    { service: 'checkout', environment: 'production', version: 'v2.14.0', commit: '9f3c2a1b7e', author: 'dana', finishedAt: burnStart - 17 * 60, summary: 'Switch payment client to pooled connections', tags: [] },
    burnStart - 17 * 60,
  );
  let seenSlack = 0;
  let seenEmail = 0;
  await h.runUntil(burnStart + 3 * 3600, (now) => {
    const top = slack.topLevel('#payments-oncall').length;
    if (top > seenSlack) arrivals.slack.push(now - burnStart);
    seenSlack = top;
    if (smtp.messages.length > seenEmail) arrivals.email.push(now - burnStart);
    seenEmail = smtp.messages.length;
  });
}, 120_000);

afterAll(async () => {
  await h?.close();
  await slack?.close();
  await smtp?.close();
});

describe('a 100% outage of a 99.9% SLO', () => {
  it('pages exactly once on Slack and once by email, within the predicted time plus one evaluation plus group_wait', () => {
    expect(arrivals.slack).toHaveLength(1);
    expect(arrivals.slack[0]).toBeGreaterThanOrEqual(predicted);
    expect(arrivals.slack[0]).toBeLessThanOrEqual(predicted + 60 + 30);
    expect(arrivals.email[0]).toBeGreaterThanOrEqual(predicted);
    expect(arrivals.email[0]).toBeLessThanOrEqual(predicted + 60 + 30);
  });

  it('keeps the ticket tier silent: nothing but the page and its resolve is sent', () => {
    const notified = h.app.notifications.outbox().map((row) => [row.integration, row.notification.status, row.notification.alerts.map((a) => `${a.alert.severity}:${a.alert.state}`).join(',')]);
    expect(notified).toEqual([
      ['payments/slack', 'firing', 'page:firing'],
      ['payments/email', 'firing', 'page:firing'],
      ['payments/slack', 'resolved', 'page:resolved'],
      ['payments/email', 'resolved', 'page:resolved'],
    ]);
    // The ticket condition still burns three hours on (its 3d/6h pair holds the outage for six), muted as part of the paged incident.
    expect(h.app.alerts.all().map((a) => `${a.severity}:${a.state}`)).toEqual(['page:resolved', 'ticket:firing']);
  });

  it('the page names what broke, what changed and what to do', () => {
    const [page] = slack.topLevel('#payments-oncall');
    const everything = JSON.stringify(page!.history[0] ?? page);
    expect(everything).toMatch(/checkout-availability/);
    expect(everything).toMatch(/v2\.14\.0/);
    // The burn is known to have begun at the first evaluation that saw it (one minute in), 18 minutes after the deploy.
    expect(everything).toMatch(/18m before/);
    expect(everything).toMatch(/Mitigation|mitigation|Roll back|rollback/i);
    const [email] = smtp.messages;
    expect(email!.subject).toMatch(/FIRING.*page.*checkout-availability/);
    expect(email!.text).toMatch(/v2\.14\.0/);
    expect(email!.html).toMatch(/<html/i);
  });

  it('after the errors stop, updates the Slack message in place with a reply in its thread, and the resolve email joins the thread', () => {
    const [page] = slack.topLevel('#payments-oncall');
    expect(page!.history.length).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify({ text: page!.text, blocks: page!.blocks })).toMatch(/RESOLVED|Resolved|resolved/);
    expect(slack.replies('#payments-oncall', page!.ts)).toHaveLength(1);
    const [first, resolve] = smtp.messages;
    expect(smtp.messages).toHaveLength(2);
    expect(resolve!.subject).toMatch(/RESOLVED/);
    expect(resolve!.inReplyTo).toBe(first!.messageId);
    expect(resolve!.references).toContain(first!.messageId!);
  });
});
