import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertingApp, alertingConfigText, checkoutSlo, type AlertingApp } from '../support/alerting-app.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

/** Fifty SLOs of team payments burning together, grouped by team, through the real Slack and SMTP wire formats. */
const t0 = Date.parse('2026-11-02T09:00:00Z') / 1000;
const burnStart = t0 + 600;
const names = Array.from({ length: 50 }, (_, i) => `payments-${String(i).padStart(2, '0')}`);

let slack: FakeSlack;
let smtp: SmtpSink;
let h: AlertingApp;
const slackArrivals: number[] = [];
const emailArrivals: number[] = [];

beforeAll(async () => {
  slack = await startFakeSlack();
  smtp = await startSmtpSink();
  h = alertingApp({
    start: t0 - 1,
    slos: names.map((name) => checkoutSlo(name, name)),
    configText: alertingConfigText(slack, smtp, '30s', '[team]'),
    env: { SLACK_TOKEN: slack.token },
    traffic: { rate: 20, episodes: names.map((slo) => ({ slo, from: burnStart, to: burnStart + 5 * 3600, ratio: 1 })) },
  });
  let seenSlack = 0;
  let seenEmail = 0;
  await h.runUntil(burnStart + 4 * 3600 + 20 * 60, (now) => {
    const posts = slack.messages.length;
    for (; seenSlack < posts; seenSlack++) slackArrivals.push(now - burnStart);
    for (; seenEmail < smtp.messages.length; seenEmail++) emailArrivals.push(now - burnStart);
  });
}, 180_000);

afterAll(async () => {
  await h?.close();
  await slack?.close();
  await smtp?.close();
});

describe('50 SLOs of one team burning together', () => {
  it('produce one grouped notification per receiver integration within group_wait of the first firing', () => {
    // All fire at the first evaluation after the burn (60 s); group_wait is 30 s.
    expect(slackArrivals[0]).toBe(90);
    expect(emailArrivals[0]).toBe(90);
    const [message] = slack.topLevel('#payments-oncall');
    expect(JSON.stringify(message!.history[0] ?? message)).toMatch(/payments-00/);
    expect(smtp.messages[0]!.subject).toMatch(/50 SLOs/);
  });

  it('stays within Slack limits (the fake refuses more than 50 blocks or long sections)', () => {
    const [message] = slack.topLevel('#payments-oncall');
    expect((message!.history[0]?.blocks ?? message!.blocks)!.length).toBeLessThanOrEqual(50);
    expect(h.app.notifications.outbox('failed')).toHaveLength(0);
  });

  it('sends nothing more until the repeat interval, then repeats once (nothing changed in between)', () => {
    expect(slackArrivals.filter((t) => t < 4 * 3600)).toEqual([90]);
    expect(emailArrivals.filter((t) => t < 4 * 3600)).toEqual([90]);
    // The repeat comes at the first group_interval flush at or after 90 s + 4 h: 4 h + 90 s + 0…5 min.
    const repeats = slackArrivals.filter((t) => t >= 4 * 3600);
    expect(repeats).toHaveLength(1); // a reply in the original's thread; the original is updated in place
    expect(repeats[0]).toBeLessThanOrEqual(4 * 3600 + 90 + 300);
    const [original] = slack.topLevel('#payments-oncall');
    expect(slack.replies('#payments-oncall', original!.ts)).toHaveLength(1);
    expect(original!.history).toHaveLength(1);
    expect(emailArrivals.filter((t) => t >= 4 * 3600)).toHaveLength(1);
    expect(h.app.notifications.outbox().map((row) => row.reason)).toEqual(['first', 'first', 'repeat-elapsed', 'repeat-elapsed']);
  });
});
