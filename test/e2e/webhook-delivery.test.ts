import { afterEach, describe, expect, it } from 'vitest';
import { alertingApp, receiverConfigText, type AlertingApp } from '../support/alerting-app.js';
import { startFakeWebhook, type FakeWebhook, type FakeWebhookFailure } from '../support/fake-webhook.js';

/**
 * Pages to a signed webhook on the fake clock: checkout at 99.9%, 100% errors for ten minutes from `burnStart`.
 * The receiver verifies every request (signature and a 5-minute timestamp tolerance, against the wall clock as a
 * real receiver would) and deduplicates by Idempotency-Key; whatever it is made to do (429, 5xx, answers after our
 * timeout, down for ten minutes), the page and its resolve must each arrive, once, and name the same incident.
 */
const t0 = Date.parse('2026-11-02T09:00:00Z') / 1000;
const burnStart = t0 + 600;
const pageDue = burnStart + 90; // first evaluation after the burn (60 s) + group_wait (30 s)
const horizon = burnStart + 3600;

let hook: FakeWebhook;
let h: AlertingApp;

function configText(url: string): string {
  return receiverConfigText(`    webhook:
      url: "${url}"
      secretEnv: WEBHOOK_SECRET
      headers: {X-Team: payments}
      headersEnv: {Authorization: WEBHOOK_AUTHORIZATION}`);
}

async function setup(failures: FakeWebhookFailure[] = []) {
  hook = await startFakeWebhook();
  failures.forEach((failure) => hook.failNext(failure));
  h = alertingApp({
    start: t0 - 1,
    configText: configText(hook.url),
    env: { WEBHOOK_SECRET: hook.secret, WEBHOOK_AUTHORIZATION: 'Bearer hook-token' },
    traffic: { rate: 20, episodes: [{ slo: 'checkout-availability', from: burnStart, to: burnStart + 600, ratio: 1 }] },
  });
  h.app.deploys.record(
    { service: 'checkout', environment: 'production', version: 'v2.14.0', commit: '9f3c2a1b7e', author: 'dana', finishedAt: burnStart - 17 * 60, url: 'https://ci.example.com/deploys/77', summary: 'Switch payment client to pooled connections', tags: [] },
    burnStart - 17 * 60,
  );
}

afterEach(async () => {
  await h?.close();
  await hook?.close();
});

/** Runs to `until`, noting the fake time each delivery arrived at. */
async function runNoting(until: number, arrivals: number[]): Promise<void> {
  let seen = hook.deliveries.length;
  await h.runUntil(until, (now) => {
    for (; seen < hook.deliveries.length; seen++) arrivals.push(now);
  });
}

/** The page and its resolve arrived once each, signed, naming one incident; nothing given up. */
function expectPageAndResolve(): void {
  const [page, resolved] = hook.deliveries;
  expect(hook.deliveries.map((d) => d.payload.status)).toEqual(['firing', 'resolved']);
  expect(new Set(hook.deliveries.map((d) => d.key)).size).toBe(2);
  expect(resolved!.payload.incidentId).toBe(page!.payload.notificationId);
  expect(page!.payload.incidentId).toBe(page!.payload.notificationId);
  expect(h.app.notifications.outbox('failed')).toEqual([]);
  expect(h.app.notifications.outbox('sent').map((row) => row.id).sort()).toEqual(hook.deliveries.map((d) => d.key).sort());
}

describe('webhook delivery end to end', () => {
  it('a page and its resolve arrive signed, with runbook, deploy and links, naming one incident', async () => {
    await setup();
    const arrivals: number[] = [];
    await runNoting(horizon, arrivals);
    expectPageAndResolve();
    expect(hook.resends).toHaveLength(0);
    expect(hook.requests.every((r) => r.status === 202)).toBe(true);
    expect(arrivals[0]! - burnStart).toBeGreaterThanOrEqual(51.84);
    expect(arrivals[0]! - burnStart).toBeLessThanOrEqual(51.84 + 60 + 30);
    const [page, resolved] = hook.deliveries;
    expect(page!.headers['authorization']).toBe('Bearer hook-token');
    expect(page!.headers['x-team']).toBe('payments');
    const [alert] = page!.payload.alerts;
    expect(alert).toMatchObject({ state: 'firing', severity: 'page', labels: { slo: 'checkout-availability', severity: 'page' } });
    expect(alert!.runbook?.markdown).toContain('# Checkout availability');
    expect(alert!.runbook?.url).toBe('https://github.com/acme/slos/blob/main/runbooks/checkout-availability.md');
    expect(alert!.deploy).toMatchObject({ found: true, version: 'v2.14.0', commit: '9f3c2a1b7e', author: 'dana', url: 'https://ci.example.com/deploys/77' });
    expect(alert!.links.dashboard).toBe('https://grafana.example.com/d/slo?var-slo=checkout-availability');
    expect(alert!.figures.burnRates.find((b) => b.longWindow === '1h')?.firing).toBe(true);
    expect(resolved!.payload.alerts[0]).toMatchObject({ state: 'resolved', endsAt: expect.stringMatching(/^2026-11-02T09:/) });
  });

  it('429 with Retry-After: 45 s: the page waits as long as asked, then arrives once', async () => {
    await setup([{ status: 429, retryAfter: 45 }]);
    const arrivals: number[] = [];
    await runNoting(horizon, arrivals);
    expectPageAndResolve();
    expect(arrivals[0]! - pageDue).toBeGreaterThanOrEqual(45);
    expect(hook.requests.map((r) => r.status)).toEqual([429, 202, 202]);
  });

  it('500 then 503: retried with backoff, one delivery', async () => {
    await setup([{ status: 500 }, { status: 503 }]);
    await runNoting(horizon, []);
    expectPageAndResolve();
    expect(hook.requests.map((r) => r.status)).toEqual([500, 503, 202, 202]);
  });

  it('the receiver answers after our 2 s timeout although it took the page: the resend has the same key and is deduplicated', async () => {
    await setup([{ delayMs: 3000 }]);
    await runNoting(horizon, []);
    expectPageAndResolve();
    expect(hook.resends.map((d) => d.key)).toEqual([hook.deliveries[0]!.key]);
  });

  it('a dropped connection, then 502: the page arrives once', async () => {
    await setup([{ dropConnection: true }, { status: 502 }]);
    await runNoting(horizon, []);
    expectPageAndResolve();
    expect(hook.resends).toHaveLength(0);
  });

  it('the receiver down for ten minutes, then back: the page arrives once, then its resolve', async () => {
    await setup();
    await hook.stop();
    await h.runUntil(pageDue + 600);
    expect(hook.requests).toHaveLength(0);
    expect(h.app.notifications.outbox('failed')).toEqual([]);
    await hook.start();
    const arrivals: number[] = [];
    await runNoting(horizon, arrivals);
    expectPageAndResolve();
    expect(arrivals[0]! - (pageDue + 600)).toBeLessThanOrEqual(300); // the longest backoff
    expect(hook.resends).toHaveLength(0);
  });

  it('a receiver that refuses the page (422) gives it up at once: permanent, not retried', async () => {
    await setup([{ status: 422 }]);
    await h.runUntil(pageDue + 120);
    expect(hook.deliveries).toHaveLength(0);
    expect(h.app.notifications.outbox('failed').map((row) => row.lastError)).toEqual([expect.stringMatching(/rejected: webhook answered HTTP 422/)]);
    expect(hook.requests).toHaveLength(1);
  });
});
