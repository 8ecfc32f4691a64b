import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readmeTiersApp, type AlertingApp } from '../support/alerting-app.js';
import { asNow, asPosted, recordArrivals, type Arrivals } from '../support/arrivals.js';
import { fakePermalink, type FakeSlack } from '../support/fake-slack.js';
import type { SmtpSink } from '../support/smtp-sink.js';

/**
 * A slow burn that later escalates, on a fake clock, with the README's tiers (`for: 2m` on the page only):
 * 0.5% errors (5×, below both page factors) from t=0, which reaches the ticket tier's 1d/2h and 3d/6h pairs after
 * (1 − 0.999) / 0.005 × 1d × 3 = 14.4 h; then at t=15h a 100% outage of ten minutes, then 0.5% again.
 */
const t0 = Date.parse('2026-11-02T09:00:00Z') / 1000;
const burnStart = t0 + 600;
const outage = 15 * 3600;
const ticketDue = 14.4 * 3600;
const channel = '#payments-oncall';

let slack: FakeSlack;
let smtp: SmtpSink;
let h: AlertingApp;
let seen: Arrivals;
/** What had arrived just before the outage: the slow burn alone. */
let beforeOutage: { slack: number[]; emails: string[]; outbox: string[] };

beforeAll(async () => {
  ({ app: h, slack, smtp } = await readmeTiersApp({
    start: t0 - 1,
    traffic: {
      rate: 20,
      episodes: [
        { slo: 'checkout-availability', from: burnStart, to: burnStart + outage, ratio: 0.005 },
        { slo: 'checkout-availability', from: burnStart + outage, to: burnStart + outage + 600, ratio: 1 },
        { slo: 'checkout-availability', from: burnStart + outage + 600, to: burnStart + 20 * 3600, ratio: 0.005 },
      ],
    },
  }));
  seen = recordArrivals(slack, smtp, channel, burnStart);
  await h.runUntil(burnStart + outage, (now) => seen.observe(now));
  beforeOutage = {
    slack: seen.slack.map((s) => s.at),
    emails: seen.emails.map((e) => e.mail.subject ?? ''),
    outbox: h.app.notifications.outbox().map((row) => `${row.integration} ${row.reason} ${row.notification.alerts.map((a) => a.alert.severity).join(',')}`),
  };
  await h.runUntil(burnStart + outage + 3600, (now) => seen.observe(now));
}, 300_000);

afterAll(async () => {
  await h?.close();
  await slack?.close();
  await smtp?.close();
});

describe('a slow burn', () => {
  it('tickets once, on Slack and by email, when the ticket tier fires (14.4 h in), and pages nobody', () => {
    expect(beforeOutage.slack).toHaveLength(1);
    expect(beforeOutage.slack[0]).toBeGreaterThanOrEqual(ticketDue);
    expect(beforeOutage.slack[0]).toBeLessThanOrEqual(ticketDue + 60 + 30);
    expect(asPosted(seen.slack[0]!.message)).toMatch(/FIRING · ticket · checkout-availability/);
    expect(beforeOutage.emails).toEqual([expect.stringMatching(/^\[FIRING:ticket\] checkout-availability/)]);
    expect(beforeOutage.outbox).toEqual(['payments/slack first ticket', 'payments/email first ticket']);
  });
});

describe('then an outage on top of it: the burn escalates to a page', () => {
  it('the page is a new top-level Slack message and a new email thread, after `for` plus group_wait', () => {
    expect(seen.slack.map((s) => s.at)).toEqual([beforeOutage.slack[0], outage + 210]);
    expect(asPosted(seen.slack[1]!.message)).toMatch(/FIRING · page · checkout-availability/);
    const starts = seen.threadStarts().map((mail) => mail.subject);
    expect(starts).toEqual([expect.stringMatching(/^\[FIRING:ticket\]/), expect.stringMatching(/^\[FIRING:page\]/)]);
  });

  it('the ticket message is updated to say it escalated, links to the page, and notes it in its thread', () => {
    const [ticket, page] = seen.slack.map((s) => s.message);
    expect(asNow(ticket!)).toMatch(/ESCALATED · ticket · checkout-availability/);
    expect(asNow(ticket!)).toContain(fakePermalink(page!.channel, page!.ts));
    const replies = slack.replies(channel, ticket!.ts);
    expect(replies).toHaveLength(1);
    expect(JSON.stringify(replies[0]!.blocks)).toMatch(/Escalated to a page/);
  });

  it('the ticket email thread gets a note, sent after the page', () => {
    const subjects = seen.emails.map((e) => e.mail.subject ?? '');
    const pageAt = subjects.findIndex((s) => s.startsWith('[FIRING:page]'));
    const noteAt = subjects.findIndex((s) => s.startsWith('[ESCALATED:ticket]'));
    expect(pageAt).toBeGreaterThan(0);
    expect(noteAt).toBeGreaterThan(pageAt);
    const note = seen.emails[noteAt]!.mail;
    expect(note.inReplyTo).toBe(seen.emails[0]!.mail.messageId);
    expect(note.text).toMatch(/Update: escalated to a page at .*: checkout-availability now pages/);
  });

  it('after the outage the page resolves in place, and the ticket stays quiet as part of the paged burn', () => {
    const page = seen.slack[1]!.message;
    expect(asNow(page)).toMatch(/RESOLVED · page/);
    expect(slack.topLevel(channel)).toHaveLength(2);
    expect(h.app.notifications.outbox().map((row) => `${row.integration} ${row.reason} ${row.notification.alerts.map((a) => `${a.alert.severity}:${a.alert.state}`).join(',')}`)).toEqual([
      'payments/slack first ticket:firing',
      'payments/email first ticket:firing',
      'payments/slack first page:firing',
      'payments/email first page:firing',
      'payments/slack escalated ticket:firing',
      'payments/email escalated ticket:firing',
      'payments/slack resolved page:resolved',
      'payments/email resolved page:resolved',
    ]);
    expect(h.app.alerts.all().filter((a) => a.kind === 'burn').map((a) => `${a.severity}:${a.state}`)).toEqual(['page:resolved', 'ticket:firing']);
  });
});
