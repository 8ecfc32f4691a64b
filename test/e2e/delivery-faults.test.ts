import { afterEach, describe, expect, it } from 'vitest';
import { alertingApp, alertingConfigText, type AlertingApp } from '../support/alerting-app.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

/**
 * Receivers misbehaving while a page is due: Slack rate-limits, fails, answers too late; the SMTP server is
 * down and comes back. Each must end with the page delivered exactly once, and its resolve threaded onto it.
 */
const t0 = Date.parse('2026-11-02T09:00:00Z') / 1000;
const burnStart = t0 + 600;
const pageDue = burnStart + 90; // first evaluation after the burn (60 s) + group_wait (30 s)

let slack: FakeSlack;
let smtp: SmtpSink;
let h: AlertingApp;

async function setup() {
  slack = await startFakeSlack();
  smtp = await startSmtpSink();
  h = alertingApp({
    start: t0 - 1,
    configText: alertingConfigText(slack, smtp),
    env: { SLACK_TOKEN: slack.token },
    traffic: { rate: 20, episodes: [{ slo: 'checkout-availability', from: burnStart, to: burnStart + 600, ratio: 1 }] },
  });
}

afterEach(async () => {
  await h?.close();
  await slack?.close();
  await smtp?.close();
});

const postCalls = () => slack.calls.filter((call) => call.method === 'chat.postMessage').length;

describe('delivery under receiver faults', () => {
  it('Slack 429 with Retry-After: the page waits as long as asked, then arrives once', async () => {
    await setup();
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 45 });
    let arrived: number | undefined;
    await h.runUntil(pageDue + 120, (now) => {
      if (arrived === undefined && slack.topLevel('#payments-oncall').length > 0) arrived = now;
    });
    expect(arrived! - pageDue).toBeGreaterThanOrEqual(45);
    expect(slack.topLevel('#payments-oncall')).toHaveLength(1);
    expect(postCalls()).toBe(2);
    await expect(h.app.metrics.notificationsRetried.get().then((m) => m.values.find((v) => v.labels.code === 'rate_limited')?.value)).resolves.toBe(1);
  });

  it('Slack 500 twice: retried with backoff, one message', async () => {
    await setup();
    slack.failNext('chat.postMessage', { status: 500 });
    slack.failNext('chat.postMessage', { status: 503 });
    await h.runUntil(pageDue + 120);
    expect(slack.topLevel('#payments-oncall')).toHaveLength(1);
    expect(postCalls()).toBe(3);
  });

  it('Slack answers after our timeout although it posted: the retry finds the message and does not post twice', async () => {
    await setup();
    slack.failNext('chat.postMessage', { delayMs: 3000 }); // the configured delivery timeout is 2 s
    await h.runUntil(pageDue + 120);
    expect(slack.topLevel('#payments-oncall')).toHaveLength(1);
    expect(postCalls()).toBe(1);
    expect(slack.calls.some((call) => call.method === 'conversations.history')).toBe(true);
    expect(h.app.notifications.outbox('sent')).toHaveLength(2);
  });

  it('Slack ok:false is permanent: given up at once, listed as failed, email still delivered', async () => {
    await setup();
    slack.failNext('chat.postMessage', { ok: false, error: 'channel_not_found' });
    await h.runUntil(pageDue + 60);
    expect(slack.topLevel('#payments-oncall')).toHaveLength(0);
    expect(h.app.notifications.outbox('failed').map((row) => row.lastError)).toEqual([expect.stringMatching(/rejected: .*channel_not_found/)]);
    expect(smtp.messages).toHaveLength(1);
  });

  it('SMTP down for ten minutes, then back: the email arrives once, and the resolve joins its thread', async () => {
    await setup();
    await smtp.stop();
    await h.runUntil(pageDue + 600);
    expect(smtp.messages).toHaveLength(0);
    expect(slack.topLevel('#payments-oncall')).toHaveLength(1);
    await smtp.start();
    await h.runUntil(burnStart + 2 * 3600);
    const [page, resolve] = smtp.messages;
    expect(smtp.messages).toHaveLength(2);
    expect(page!.subject).toMatch(/FIRING/);
    expect(resolve!.inReplyTo).toBe(page!.messageId);
    expect(h.app.notifications.outbox('failed')).toHaveLength(0);
  });
});
