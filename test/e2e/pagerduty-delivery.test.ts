import { afterEach, describe, expect, it } from 'vitest';
import { alertingApp, receiverConfigText, type AlertingApp } from '../support/alerting-app.js';
import { startFakePagerDuty, type FakePagerDuty } from '../support/fake-pagerduty.js';

/**
 * A page to PagerDuty on the fake clock: one incident opened with the runbook and the preceding deploy in its
 * custom_details, resolved with the same dedup_key; and under receiver faults (429 with Retry-After, 5xx, an
 * answer later than our timeout, PagerDuty unreachable for ten minutes) still one incident, nothing lost.
 */
const t0 = Date.parse('2026-11-02T09:00:00Z') / 1000;
const burnStart = t0 + 600;
const pageDue = burnStart + 90; // first evaluation after the burn (60 s) + group_wait (30 s)
const resolvedBy = burnStart + 2 * 3600;

let pd: FakePagerDuty;
let h: AlertingApp;

function configText(url: string): string {
  return receiverConfigText(`    pagerduty: {routingKeyEnv: PAGERDUTY_ROUTING_KEY, url: "${url}"}`);
}

async function setup() {
  pd = await startFakePagerDuty();
  h = alertingApp({
    start: t0 - 1,
    configText: configText(pd.url),
    env: { PAGERDUTY_ROUTING_KEY: pd.routingKey },
    traffic: { rate: 20, episodes: [{ slo: 'checkout-availability', from: burnStart, to: burnStart + 600, ratio: 1 }] },
  });
  h.app.deploys.record(
    { service: 'checkout', environment: 'production', version: 'v2.14.0', commit: '9f3c2a1b7e', author: 'dana', finishedAt: burnStart - 17 * 60, url: 'https://ci.example.com/deploys/77', summary: 'Switch payment client to pooled connections', tags: [] },
    burnStart - 17 * 60,
  );
}

afterEach(async () => {
  await h?.close();
  await pd?.close();
});

const triggers = () => pd.events.filter((e) => e.event_action === 'trigger');

/** Runs to `until`, returning the fake-clock second the first PagerDuty alert appeared. */
async function runRecordingArrival(until: number): Promise<number | undefined> {
  let arrived: number | undefined;
  await h.runUntil(until, (now) => {
    if (arrived === undefined && pd.alerts.length > 0) arrived = now;
  });
  return arrived;
}

function expectOneResolvedIncident() {
  expect(pd.alerts).toHaveLength(1);
  expect(pd.alerts[0]!.status).toBe('resolved');
  expect(new Set(pd.events.map((e) => e.dedup_key)).size).toBe(1);
  expect(h.app.notifications.outbox('failed')).toEqual([]);
  expect(h.app.notifications.outbox().every((row) => row.state === 'sent')).toBe(true);
}

describe('paging PagerDuty', () => {
  it('a page opens one incident with the runbook and the deploy; the resolve resolves it with the same dedup_key', async () => {
    await setup();
    const arrived = await runRecordingArrival(resolvedBy);
    expect(arrived! - pageDue).toBeLessThanOrEqual(2);
    const [page] = triggers();
    expect(page!.payload).toMatchObject({ severity: 'critical', source: 'checkout-availability', component: 'checkout', class: 'SLOBurnRate' });
    const details = page!.payload!.custom_details!;
    expect((details['runbooks'] as Array<{ text: string }>)[0]!.text).toMatch(/^# Checkout availability/);
    expect((details['alerts'] as Array<Record<string, unknown>>)[0]!['preceding_deploy']).toMatchObject({ version: 'v2.14.0', commit: '9f3c2a1b7e', author: 'dana' });
    expect(page!.links!.map((l) => l.href)).toEqual(expect.arrayContaining(['https://ci.example.com/deploys/77', 'https://github.com/acme/slos/blob/main/runbooks/checkout-availability.md']));
    expect(pd.events.map((e) => e.event_action)).toEqual(['trigger', 'resolve']);
    expect(pd.events[1]!.dedup_key).toBe(page!.dedup_key);
    expectOneResolvedIncident();
  }, 120_000);

  it('429 with Retry-After: the trigger waits as long as asked, then one incident', async () => {
    await setup();
    pd.failNext({ status: 429, retryAfter: 45 });
    const arrived = await runRecordingArrival(resolvedBy);
    expect(arrived! - pageDue).toBeGreaterThanOrEqual(45);
    expect(pd.requests.filter((r) => r.body?.['event_action'] === 'trigger').map((r) => r.status)).toEqual([429, 202]);
    await expect(h.app.metrics.notificationsRetried.get().then((m) => m.values.find((v) => v.labels.code === 'rate_limited')?.value)).resolves.toBe(1);
    expectOneResolvedIncident();
  }, 120_000);

  it('5xx twice: retried with backoff, one incident', async () => {
    await setup();
    pd.failNext({ status: 500 });
    pd.failNext({ status: 503 });
    await runRecordingArrival(resolvedBy);
    expect(pd.requests.filter((r) => r.body?.['event_action'] === 'trigger').map((r) => r.status)).toEqual([500, 503, 202]);
    expectOneResolvedIncident();
  }, 120_000);

  it('PagerDuty answers after our timeout although it took the event: the resend has the same dedup_key, one incident', async () => {
    await setup();
    pd.failNext({ delayMs: 3000 }); // the configured delivery timeout is 2 s
    await runRecordingArrival(resolvedBy);
    expect(triggers()).toHaveLength(2);
    expect(pd.alerts[0]!.triggers).toBe(2);
    expectOneResolvedIncident();
  }, 120_000);

  it('PagerDuty unreachable for ten minutes, then back: the page arrives once, and the resolve resolves it', async () => {
    await setup();
    await pd.down();
    await h.runUntil(pageDue + 600);
    expect(pd.events).toHaveLength(0);
    expect(h.app.notifications.outbox('failed')).toEqual([]);
    await pd.up();
    const arrived = await runRecordingArrival(resolvedBy);
    expect(arrived).toBeDefined();
    expectOneResolvedIncident();
  }, 120_000);
});
