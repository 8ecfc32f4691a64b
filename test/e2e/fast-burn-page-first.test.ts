import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readmeTiersApp, type AlertingApp } from '../support/alerting-app.js';
import { asNow, asPosted, recordArrivals, type Arrivals } from '../support/arrivals.js';
import type { FakeSlack } from '../support/fake-slack.js';
import type { SmtpSink } from '../support/smtp-sink.js';

/**
 * The README's tiers (`for: 2m` on the page, none on the ticket) on a fake clock, for a service whose metrics
 * began ten minutes before a 100% outage of ten minutes (a new service, or a new Prometheus). With that little
 * history every window holds the same errors, so the ticket's condition turns true at the same evaluation as the
 * page's (t=60s), and the ticket (no `for`) fires two minutes before the page. The on-call person must still get
 * the page first and only: the ticket is inhibited while the page is pending.
 */
const t0 = Date.parse('2026-11-02T09:00:00Z') / 1000;
const burnStart = t0 + 600;
const channel = '#payments-oncall';

let slack: FakeSlack;
let smtp: SmtpSink;
let h: AlertingApp;
let seen: Arrivals;

beforeAll(async () => {
  ({ app: h, slack, smtp } = await readmeTiersApp({
    start: t0 - 1,
    traffic: { rate: 20, since: t0, episodes: [{ slo: 'checkout-availability', from: burnStart, to: burnStart + 600, ratio: 1 }] },
  }));
  seen = recordArrivals(slack, smtp, channel, burnStart);
  await h.runUntil(burnStart + 3 * 3600, (now) => seen.observe(now));
}, 180_000);

afterAll(async () => {
  await h?.close();
  await slack?.close();
  await smtp?.close();
});

describe('a fast burn with `for: 2m` on the page tier only', () => {
  it('exercises the hazard: the ticket fired before the page did', () => {
    const [page, ticket] = h.app.alerts.all().filter((a) => a.kind === 'burn');
    expect([page?.severity, ticket?.severity]).toEqual(['page', 'ticket']);
    expect(ticket!.firedAt! - burnStart).toBe(60);
    expect(page!.firedAt! - burnStart).toBe(180);
  });

  it('sends exactly one top-level Slack message and one new email, both the page, after `for` plus group_wait', () => {
    expect(seen.slack.map((s) => s.at)).toEqual([210]);
    expect(asPosted(seen.slack[0]!.message)).toMatch(/FIRING · page · checkout-availability/);
    const starts = seen.threadStarts();
    expect(starts).toHaveLength(1);
    expect(starts[0]!.subject).toMatch(/^\[FIRING:page\] checkout-availability/);
    expect(seen.emails[0]!.at).toBe(210);
  });

  it('sends no ticket at all, on any integration', () => {
    const rows = h.app.notifications.outbox().map((row) => `${row.integration} ${row.notification.status} ${row.notification.alerts.map((a) => a.alert.severity).join(',')}`);
    expect(rows).toEqual(['payments/slack firing page', 'payments/email firing page', 'payments/slack resolved page', 'payments/email resolved page']);
    expect(slack.messages.map((m) => JSON.stringify(m))).not.toContainEqual(expect.stringMatching(/· ticket ·|\[FIRING\] checkout-availability ticket/));
    expect(smtp.messages.map((m) => m.subject)).not.toContainEqual(expect.stringMatching(/ticket/));
  });

  it('resolves the page in place: the Slack message is updated with a reply in its thread, the email joins its thread', () => {
    const page = seen.slack[0]!.message;
    expect(page.history).toHaveLength(1);
    expect(asNow(page)).toMatch(/RESOLVED · page · checkout-availability/);
    expect(slack.replies(channel, page.ts)).toHaveLength(1);
    expect(slack.topLevel(channel)).toHaveLength(1);
    const [first, resolve] = smtp.messages;
    expect(smtp.messages).toHaveLength(2);
    expect(resolve!.subject).toMatch(/^\[RESOLVED:page\]/);
    expect(resolve!.inReplyTo).toBe(first!.messageId);
  });
});
