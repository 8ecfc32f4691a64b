import { afterEach, describe, expect, it } from 'vitest';
import { alertingApp, receiverConfigText, type AlertingApp } from '../support/alerting-app.js';
import { startFakeTeams, teamsMessageLimit, type FakeTeams, type FakeTeamsFailure } from '../support/fake-teams.js';

/**
 * Pages to a Teams Workflows webhook on the fake clock: checkout at 99.9%, 100% errors for ten minutes from
 * `burnStart`. Whatever the webhook is made to do (429, 5xx, answers after our timeout, down for ten minutes), the
 * page and its resolve must each arrive as a card, the resolve naming the page's incident; nothing is given up.
 */
const t0 = Date.parse('2026-11-02T09:00:00Z') / 1000;
const burnStart = t0 + 600;
const pageDue = burnStart + 90; // first evaluation after the burn (60 s) + group_wait (30 s)
const horizon = burnStart + 3600;

let teams: FakeTeams;
let h: AlertingApp;

function configText(): string {
  return receiverConfigText(`    teams: {urlEnv: TEAMS_WEBHOOK_URL}`);
}

async function setup(failures: FakeTeamsFailure[] = []) {
  teams = await startFakeTeams();
  failures.forEach((failure) => teams.failNext(failure));
  h = alertingApp({
    start: t0 - 1,
    configText: configText(),
    env: { TEAMS_WEBHOOK_URL: teams.url },
    traffic: { rate: 20, episodes: [{ slo: 'checkout-availability', from: burnStart, to: burnStart + 600, ratio: 1 }] },
  });
  h.app.deploys.record(
    { service: 'checkout', environment: 'production', version: 'v2.14.0', commit: '9f3c2a1b7e', author: 'dana', finishedAt: burnStart - 17 * 60, url: 'https://ci.example.com/deploys/77', summary: 'Switch payment client to pooled connections', tags: [] },
    burnStart - 17 * 60,
  );
}

afterEach(async () => {
  await h?.close();
  await teams?.close();
});

/** Runs to `until`, noting the fake time each card arrived at. */
async function runNoting(until: number, arrivals: number[]): Promise<void> {
  let seen = teams.cards.length;
  await h.runUntil(until, (now) => {
    for (; seen < teams.cards.length; seen++) arrivals.push(now);
  });
}

/** The page and its resolve arrived as cards (each notification at least once), the resolve naming the page. */
function expectPageAndResolve(): void {
  const ids = [...new Set(teams.cards.map((c) => c.notificationId))];
  expect(ids).toHaveLength(2);
  const [pageId, resolveId] = ids;
  const page = teams.cards.find((c) => c.notificationId === pageId)!;
  const resolved = teams.cards.find((c) => c.notificationId === resolveId)!;
  expect(page.texts[0]).toBe('🔴 FIRING · page · checkout-availability');
  expect(resolved.texts[0]).toBe('✅ RESOLVED · page · checkout-availability');
  expect(resolved.texts[1]).toMatch(new RegExp(`^Resolves the page \\*\\*checkout-availability\\*\\* that fired 2026-11-02T09:1\\d:\\d\\dZ \\(.*\\) · incident ${pageId}$`));
  expect(h.app.notifications.outbox('failed')).toEqual([]);
  expect(h.app.notifications.outbox('sent').map((row) => row.id).sort()).toEqual([pageId, resolveId].sort());
  for (const card of teams.cards) expect(card.bytes).toBeLessThan(teamsMessageLimit);
}

describe('Teams delivery end to end', () => {
  it('a page and its resolve arrive as two cards, with burn rates, budget, runbook, deploy and links', async () => {
    await setup();
    const arrivals: number[] = [];
    await runNoting(horizon, arrivals);
    expectPageAndResolve();
    expect(teams.cards).toHaveLength(2);
    expect(teams.requests.every((r) => r.status === 202)).toBe(true);
    expect(arrivals[0]! - burnStart).toBeGreaterThanOrEqual(51.84);
    expect(arrivals[0]! - burnStart).toBeLessThanOrEqual(51.84 + 60 + 30);
    const text = teams.cards[0]!.texts.join('\n');
    expect(text).toMatch(/1h \/ 5m: .* ≥ 14\.4× · FIRING/);
    expect(text).toMatch(/Budget left: -?\d+(\.\d)?% of the 30d error budget/);
    expect(text).toContain('Time to exhaustion:');
    expect(text).toContain('**Checkout availability**');
    expect(text).toMatch(/deploy of \*\*checkout\*\* v2\.14\.0 \(9f3c2a1\) by dana to production, landed \*\*\d+m( \d+s)? before\*\* the burn began · \[deploy details\]\(https:\/\/ci\.example\.com\/deploys\/77\)/);
    expect(teams.cards[0]!.content.actions?.map((a) => a.url)).toEqual([
      'https://github.com/acme/slos/blob/main/runbooks/checkout-availability.md',
      'https://grafana.example.com/d/slo?var-slo=checkout-availability',
      'https://ci.example.com/deploys/77',
    ]);
  });

  it('429 with Retry-After: 45 s: the page waits as long as asked, then arrives once', async () => {
    await setup([{ status: 429, retryAfter: 45 }]);
    const arrivals: number[] = [];
    await runNoting(horizon, arrivals);
    expectPageAndResolve();
    expect(teams.cards).toHaveLength(2);
    expect(arrivals[0]! - pageDue).toBeGreaterThanOrEqual(45);
    expect(teams.requests.map((r) => r.status)).toEqual([429, 202, 202]);
  });

  it('500 then 503: retried with backoff, one card', async () => {
    await setup([{ status: 500 }, { status: 503 }]);
    await runNoting(horizon, []);
    expectPageAndResolve();
    expect(teams.cards).toHaveLength(2);
    expect(teams.requests.map((r) => r.status)).toEqual([500, 503, 202, 202]);
  });

  it('Teams answers after our 2 s timeout although it posted the page: the resend is a second card (Teams takes no idempotency key), nothing lost', async () => {
    await setup([{ delayMs: 3000 }]);
    await runNoting(horizon, []);
    expectPageAndResolve();
    expect(teams.duplicates.map((c) => c.notificationId)).toEqual([teams.cards[0]!.notificationId]);
  });

  it('a dropped connection, then 502: the page arrives once', async () => {
    await setup([{ dropConnection: true }, { status: 502 }]);
    await runNoting(horizon, []);
    expectPageAndResolve();
    expect(teams.cards).toHaveLength(2);
  });

  it('the webhook down for ten minutes, then back: the page arrives once, then its resolve', async () => {
    await setup();
    await teams.stop();
    await h.runUntil(pageDue + 600);
    expect(teams.requests).toHaveLength(0);
    expect(h.app.notifications.outbox('failed')).toEqual([]);
    await teams.start();
    const arrivals: number[] = [];
    await runNoting(horizon, arrivals);
    expectPageAndResolve();
    expect(teams.cards).toHaveLength(2);
    expect(arrivals[0]! - (pageDue + 600)).toBeLessThanOrEqual(300); // the longest backoff
  });

  it('a Workflows URL that no longer exists (404) gives the page up at once: permanent, not retried', async () => {
    await setup([{ status: 404 }]);
    await h.runUntil(pageDue + 120);
    expect(teams.cards).toHaveLength(0);
    expect(h.app.notifications.outbox('failed').map((row) => row.lastError)).toEqual([expect.stringMatching(/bad_config: Teams webhook answered HTTP 404/)]);
    expect(teams.requests).toHaveLength(1);
  });
});
