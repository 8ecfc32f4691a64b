import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/config.js';
import type { Slo } from '../../src/slo/model.js';
import { alertingApp, alertingConfigText, checkoutSlo, type AlertingApp } from '../support/alerting-app.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

/** An SLO removed by a reload while its page fires: the page is resolved with a note, on a fake clock. */
const t0 = Date.parse('2026-11-02T09:00:00Z') / 1000;
const burnStart = t0 + 600;
const kept = checkoutSlo('checkout-availability');
const removed = checkoutSlo('checkout-latency');

let slack: FakeSlack;
let smtp: SmtpSink;
let h: AlertingApp;
let next: Slo[] = [kept, removed];
let runningConfig: Config | undefined;

beforeAll(async () => {
  slack = await startFakeSlack();
  smtp = await startSmtpSink();
  h = alertingApp({
    start: t0 - 1,
    slos: [kept, removed],
    configText: alertingConfigText(slack, smtp),
    env: { SLACK_TOKEN: slack.token },
    // The removed SLO burns from burnStart on and never recovers.
    traffic: { rate: 20, episodes: [{ slo: 'checkout-latency', from: burnStart, to: burnStart + 86_400, ratio: 1 }] },
    loadSettings: () => ({ ok: true, config: runningConfig!, slos: next, warnings: [] }),
  });
}, 120_000);

afterAll(async () => {
  await h?.close();
  await slack?.close();
  await smtp?.close();
});

describe('reloading without an SLO whose page is firing', () => {
  it('resolves its alerts, delivers the resolve with a note, and evaluates only the SLOs left', async () => {
    await h.runUntil(burnStart + 300);
    const firing = h.app.alerts.all().filter((alert) => alert.slo === 'checkout-latency' && alert.state === 'firing');
    expect(firing.map((alert) => alert.severity).sort()).toContain('page');
    const [page] = slack.topLevel('#payments-oncall');
    expect(JSON.stringify(page)).toContain('checkout-latency');
    await smtp.waitFor(1);

    // The same settings, one SLO fewer.
    const { loadConfig } = await import('../../src/config/load-config.js');
    const { join } = await import('node:path');
    runningConfig = loadConfig(join(h.dir, 'burnrate.yaml'), true, { db: join(h.dir, 'burnrate.db') }, h.dir, { SLACK_TOKEN: slack.token });
    next = [kept];
    const outcome = await h.app.reload();
    expect(outcome).toMatchObject({ ok: true, removed: ['checkout-latency'], added: [] });
    expect(h.app.alerts.all().filter((alert) => alert.slo === 'checkout-latency' && alert.state !== 'resolved')).toEqual([]);
    const history = h.app.alerts.history(0, h.clock.now(), 'checkout-latency').filter((change) => change.state === 'resolved');
    expect(history.length).toBeGreaterThanOrEqual(1);

    // group_interval is 5m: the resolve goes out at the group's next flush.
    await h.runUntil(h.clock.now() + 330);
    const updated = slack.messages.find((message) => message.ts === page!.ts);
    expect(JSON.stringify(updated)).toMatch(/RESOLVED/);
    expect(JSON.stringify(updated)).toContain('removed from the configuration');
    const resolveMail = smtp.messages.find((mail) => /RESOLVED/.test(mail.subject ?? ''));
    expect(resolveMail?.text).toContain('removed from the configuration');
    const last = await h.app.tick();
    expect(last === undefined || last.evaluations.every((evaluation) => evaluation.slo === 'checkout-availability')).toBe(true);
  }, 120_000);
});
