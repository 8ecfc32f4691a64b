import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readmeTiersApp, type AlertingApp } from '../support/alerting-app.js';
import { asNow, asPosted, recordArrivals, type Arrivals } from '../support/arrivals.js';
import type { FakeSlack } from '../support/fake-slack.js';
import type { SmtpSink } from '../support/smtp-sink.js';

/**
 * A flapping service on a fake clock, with the README's tiers (`for: 2m` on the page only): one minute of 100%
 * errors every 15 minutes, eight times. Each burst holds the 1h/5m pair for about five minutes (until it leaves
 * the 5m window), longer than `for`, so it pages. The 6h/30m pair needs 6× over 6h: 3 bursts (180 s of errors
 * in 6 h is 8.3×), and its 30m window always holds a burst while they come every 15 minutes; from the third
 * burst on it holds the page, which then resolves 30 minutes after the last burst.
 */
const t0 = Date.parse('2026-11-02T09:00:00Z') / 1000;
const burnStart = t0 + 600;
const period = 900;
const bursts = 8;
const channel = '#payments-oncall';

let slack: FakeSlack;
let smtp: SmtpSink;
let h: AlertingApp;
let seen: Arrivals;

beforeAll(async () => {
  ({ app: h, slack, smtp } = await readmeTiersApp({
    start: t0 - 1,
    traffic: {
      rate: 20,
      episodes: Array.from({ length: bursts }, (_, i) => ({ slo: 'checkout-availability', from: burnStart + i * period, to: burnStart + i * period + 60, ratio: 1 })),
    },
  }));
  seen = recordArrivals(slack, smtp, channel, burnStart);
  await h.runUntil(burnStart + 3 * 3600, (now) => seen.observe(now));
}, 180_000);

afterAll(async () => {
  await h?.close();
  await slack?.close();
  await smtp?.close();
});

describe('a service flapping every 15 minutes', () => {
  it('pages for the first, second and third burst, each as a new top-level message; later bursts add nothing', () => {
    // Burst k (0-based) starts at k × 900 s: pending one evaluation later, firing after `for`, sent after group_wait.
    expect(seen.slack.map((s) => s.at)).toEqual([210, period + 210, 2 * period + 210]);
    for (const { message } of seen.slack) expect(asPosted(message)).toMatch(/FIRING · page · checkout-availability/);
    expect(seen.threadStarts().map((mail) => mail.subject)).toEqual(Array.from({ length: 3 }, () => expect.stringMatching(/^\[FIRING:page\]/)));
  });

  it('resolves each page in place: the first two between bursts, the last once the 30m window is clear of the last burst', () => {
    for (const { message } of seen.slack) {
      expect(asNow(message)).toMatch(/RESOLVED · page/);
      expect(slack.replies(channel, message.ts)).toHaveLength(1);
    }
    const resolves = seen.emails.filter((e) => e.mail.subject?.startsWith('[RESOLVED:page]'));
    // Resolved at 360 s, 1260 s and 8160 s; sent at the group's next group_interval flush.
    expect(resolves.map((e) => e.at)).toEqual([510, period + 510, 2 * period + 210 + 21 * 300]);
    expect(resolves.map((e) => e.mail.inReplyTo)).toEqual(seen.threadStarts().map((mail) => mail.messageId));
  });

  it('never tickets: the ticket tier fires during the flapping but stays inhibited as part of the paged burn', () => {
    const ticket = h.app.alerts.all().find((a) => a.kind === 'burn' && a.severity === 'ticket');
    expect(ticket?.firedAt).not.toBeNull();
    expect(h.app.notifications.outbox().filter((row) => row.notification.alerts.some((a) => a.alert.severity === 'ticket'))).toEqual([]);
    expect(smtp.messages).toHaveLength(6);
  });
});
