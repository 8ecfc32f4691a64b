import { afterEach, describe, expect, it } from 'vitest';
import { createTeamsChannel, type TeamsChannelOptions } from '../../src/channels/teams-channel.js';
import { createRateLimiter } from '../../src/channels/teams-rate-limit.js';
import { DeliveryError, type Channel } from '../../src/notify/channel.js';
import type { Notification } from '../../src/notify/notification.js';
import { teamsLimits, teamsRenderer } from '../../src/render/render-teams.js';
import { startFakeTeams, teamsMessageLimit, type FakeTeams } from '../support/fake-teams.js';
import { bigGroup, checkoutDetail, pageNotification, resolveNotification } from '../render/fixtures.js';

let teams: FakeTeams;
let channel: Channel;

afterEach(async () => {
  await channel?.close();
  await teams?.close();
});

async function setup(options: Partial<TeamsChannelOptions> = {}) {
  teams = await startFakeTeams();
  channel = createTeamsChannel({ url: teams.url, render: teamsRenderer(), timeoutMs: 2000, ...options });
}

/** The DeliveryError a delivery throws. */
async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

/** The checkout page with a runbook of about `kb` KB of Markdown (sections, lists, code, some multi-byte text). */
function pageWithRunbook(kb: number): Notification {
  const base = checkoutDetail('firing');
  const section = (i: number) => `## Step ${i}\n\n- check **pool ${i}** — ünïcödé → ok\n- run \`kubectl -n payments get pods\`\n\n\`\`\`sh\nkubectl -n payments logs deploy/checkout --since=15m | grep -c error # ${i}\n\`\`\`\n\n`;
  let markdown = '# Huge runbook\n\n';
  for (let i = 0; Buffer.byteLength(markdown) < kb * 1024; i++) markdown += section(i);
  return pageNotification([{ ...base, runbook: { ...base.runbook!, markdown } }]);
}

describe('Teams channel: the card', () => {
  it('posts the page as an Adaptive Card with the Slack page\'s content: title, burn rates, budget, deploy, runbook, links', async () => {
    await setup();
    const page = pageNotification();
    const receipt = await channel.deliver(page, null);
    expect(teams.cards).toHaveLength(1);
    const [card] = teams.cards;
    expect(card!.content).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    const texts = card!.texts.join('\n');
    expect(card!.texts[0]).toBe('🔴 FIRING · page · checkout-availability');
    expect(texts).toContain('Budget left: 62% of the 30d error budget');
    expect(texts).toContain('Time to exhaustion: gone in 1d 3h at this rate');
    expect(texts).toContain('1h / 5m: 16.2× / 41.0× ≥ 14.4× · FIRING');
    expect(texts).toContain('6h / 30m: 4.1× / 9.0× < 6× · ok');
    expect(texts).toMatch(/deploy of \*\*checkout\*\* v2\.31\.0 .* by Dana Kim to production, landed \*\*7m before\*\* the burn began/);
    expect(texts).toContain('**Mitigation**');
    expect(texts).toContain('kubectl -n payments rollout undo deploy/checkout');
    expect(card!.content.actions?.map((a) => a.title)).toEqual(['📘 Full runbook', '📈 Dashboard', '🚀 Deploy', '🔎 Query']);
    expect(card!.content.actions?.[0]?.url).toBe('https://github.com/acme/slo-config/blob/main/runbooks/checkout-availability.md');
    expect(card!.notificationId).toBe(page.id);
    expect(teams.requests[0]!.status).toBe(202);
    expect(receipt).toEqual({ teams: { incident: page.id, title: 'checkout-availability', firedAt: page.alerts[0]!.alert.firedAt } });
  });

  it('a resolve is a new card naming the page it resolves: its title, when it fired, the incident id', async () => {
    await setup();
    const page = pageNotification();
    const thread = channel.nextThread(null, await channel.deliver(page, null));
    const resolve = resolveNotification();
    const receipt = await channel.deliver(resolve, thread);
    expect(channel.nextThread(thread, receipt)).toEqual(thread);
    expect(teams.cards).toHaveLength(2);
    const card = teams.cards[1]!;
    expect(card.texts[0]).toBe('✅ RESOLVED · page · checkout-availability');
    expect(card.texts[1]).toBe(`Resolves the page **checkout-availability** that fired 2026-03-14T03:04:30Z (41m ago) · incident ${page.id}`);
    expect(card.notificationId).toBe(resolve.id);
    // A resolved alert links its runbook rather than repeating its body.
    expect(card.texts.join('\n')).not.toContain('**Mitigation**');
  });

  it('findDelivered cannot tell (Teams cannot be asked): undefined, and the outbox resends', async () => {
    await setup();
    expect(await channel.findDelivered(pageNotification(), null)).toBeUndefined();
  });
});

describe('Teams channel: the 28 KB limit', () => {
  it('a page with a 200 KB runbook stays under 28 KB (UTF-8 JSON body), keeps the head of the runbook and links the full one', async () => {
    await setup();
    const page = pageWithRunbook(200);
    expect(Buffer.byteLength(page.alerts[0]!.runbook!.markdown)).toBeGreaterThanOrEqual(200 * 1024);
    const rendering = teamsRenderer()(page, null);
    expect(rendering.bytes).toBe(Buffer.byteLength(JSON.stringify(rendering.message), 'utf8'));
    expect(rendering.bytes).toBeLessThanOrEqual(teamsLimits.budgetBytes);
    expect(rendering.bytes).toBeGreaterThan(teamsLimits.budgetBytes - 2048); // the room is used, not wasted
    await channel.deliver(page, null);
    const card = teams.cards[0]!;
    expect(card.bytes).toBeLessThan(teamsMessageLimit);
    const texts = card.texts.join('\n');
    expect(texts).toContain('**Huge runbook**');
    expect(texts).toContain('**Step 0**');
    expect(texts).toContain('… [full runbook](https://github.com/acme/slo-config/blob/main/runbooks/checkout-availability.md)');
    expect(texts).toContain('1h / 5m: 16.2× / 41.0× ≥ 14.4× · FIRING');
    expect(texts).toContain('What changed:');
    expect(card.content.actions?.[0]?.title).toBe('📘 Full runbook');
  });

  it('a group of 40 alerts with long descriptions fits too: alerts that do not fit are named in one line', () => {
    const rendering = teamsRenderer()(bigGroup(40), null);
    expect(rendering.bytes).toBeLessThanOrEqual(teamsLimits.budgetBytes);
    const text = JSON.stringify(rendering.message);
    expect(text).toMatch(/… and \d+ more, not shown to keep this card under Teams' size limit/);
  });

  it('the fake refuses a body over 28 KB with 413, which is permanent', async () => {
    await setup({ render: teamsRenderer({ maxBytes: 64 * 1024 }) });
    const error = await failure(channel.deliver(pageWithRunbook(200), null));
    expect(teams.requests[0]).toMatchObject({ status: 413 });
    expect(teams.requests[0]!.bytes).toBeGreaterThan(teamsMessageLimit);
    expect(error).toMatchObject({ code: 'rejected', retryable: false });
    expect(error.message).toMatch(/HTTP 413.*28 KB/);
  });
});

describe('Teams channel: faults are classified', () => {
  const cases: Array<[string, Parameters<FakeTeams['failNext']>[0], { code: string; retryable: boolean; retryAfter?: number }]> = [
    ['429 with Retry-After: 30', { status: 429, retryAfter: 30 }, { code: 'rate_limited', retryable: true, retryAfter: 30 }],
    ['500', { status: 500 }, { code: 'server_error', retryable: true }],
    ['502', { status: 502 }, { code: 'server_error', retryable: true }],
    ['503', { status: 503 }, { code: 'server_error', retryable: true }],
    ['400 (a card Teams refuses)', { status: 400 }, { code: 'rejected', retryable: false }],
    ['404 (a wrong or deleted Workflows URL)', { status: 404 }, { code: 'bad_config', retryable: false }],
    ['413', { status: 413 }, { code: 'rejected', retryable: false }],
    ['a dropped connection', { dropConnection: true }, { code: 'network', retryable: true }],
    ['an answer after our 2 s timeout', { delayMs: 3000 }, { code: 'timeout', retryable: true }],
  ];
  it.each(cases)('%s', async (_what, fault, expected) => {
    await setup();
    teams.failNext(fault);
    const error = await failure(channel.deliver(pageNotification(), null));
    expect(error).toMatchObject(expected);
    // The next try goes through.
    await channel.deliver(pageNotification(), null);
    expect(teams.requests.at(-1)!.status).toBe(202);
  });

  it('a 429 with an HTTP date as Retry-After waits until then', async () => {
    await setup({ now: () => Date.parse('2026-03-14T03:12:00Z') / 1000 });
    teams.failNext({ status: 429, retryAfter: 'Sat, 14 Mar 2026 03:13:30 GMT' });
    expect(await failure(channel.deliver(pageNotification(), null))).toMatchObject({ code: 'rate_limited', retryAfter: 90 });
  });

  it('the webhook down (connection refused) is a network error, retried', async () => {
    await setup();
    await teams.stop();
    expect(await failure(channel.deliver(pageNotification(), null))).toMatchObject({ code: 'network', retryable: true });
  });

  it('a card the fake cannot read is refused with 400 and says why', async () => {
    await setup({ render: (n, page) => { const r = teamsRenderer()(n, page); return { ...r, message: { ...r.message, attachments: [{ ...r.message.attachments[0]!, content: { ...r.message.attachments[0]!.content, body: [{ type: 'Marquee' }] } }] } }; } });
    expect(await failure(channel.deliver(pageNotification(), null))).toMatchObject({ code: 'rejected', retryable: false });
    expect(teams.requests[0]!.refused).toBe('body[0]: unknown element "Marquee"');
  });
});

describe('Teams channel: at most 4 requests per second per webhook URL', () => {
  /** Arrival times at the fake of one path, in ms. */
  const arrivals = (path: string) => teams.requests.filter((r) => r.path === path).map((r) => r.at).sort((a, b) => a - b);
  const pathOf = (url: string) => new URL(url).pathname;

  it('14 cards at once to one URL: all arrive, never 5 within a second', async () => {
    await setup();
    const started = performance.now();
    await Promise.all(Array.from({ length: 14 }, (_, i) => channel.deliver({ ...pageNotification(), id: `ntf-burst-${i}` }, null)));
    const times = arrivals(pathOf(teams.url));
    expect(teams.cards).toHaveLength(14);
    expect(times).toHaveLength(14);
    for (let i = 0; i + 4 < times.length; i++) expect(times[i + 4]! - times[i]!, `requests ${i} and ${i + 4}`).toBeGreaterThanOrEqual(1000);
    // 14 requests at 4 per 1.1 s take at least three windows: they waited, none was dropped.
    expect(performance.now() - started).toBeGreaterThanOrEqual(3 * 1100 - 50);
  }, 30_000);

  it('two URLs have a budget each: 8 to each at once take about as long as 8 to one', async () => {
    await setup();
    const other = createTeamsChannel({ url: teams.urlFor('platform'), render: teamsRenderer(), timeoutMs: 2000 });
    await Promise.all([
      ...Array.from({ length: 8 }, (_, i) => channel.deliver({ ...pageNotification(), id: `ntf-a-${i}` }, null)),
      ...Array.from({ length: 8 }, (_, i) => other.deliver({ ...pageNotification(), id: `ntf-b-${i}` }, null)),
    ]);
    const a = arrivals(pathOf(teams.url));
    const b = arrivals(pathOf(teams.urlFor('platform')));
    expect([a.length, b.length]).toEqual([8, 8]);
    for (const times of [a, b]) for (let i = 0; i + 4 < times.length; i++) expect(times[i + 4]! - times[i]!).toBeGreaterThanOrEqual(1000);
    // Sharing one budget, the second URL's first card would wait behind the first URL's eight.
    expect(b[0]! - a[0]!).toBeLessThan(1000);
  }, 30_000);
});

describe('rate limiter', () => {
  it('lets `limit` requests start per window, queues the rest in order, drops none', async () => {
    let clock = 0;
    const slept: number[] = [];
    const limiter = createRateLimiter({ limit: 4, windowMs: 1000, now: () => clock, sleep: async (ms) => { slept.push(ms); clock += ms; } });
    const started: Array<[number, number]> = [];
    await Promise.all(Array.from({ length: 9 }, (_, i) => limiter.acquire('u').then(() => started.push([i, clock]))));
    expect(started).toEqual([[0, 0], [1, 0], [2, 0], [3, 0], [4, 1000], [5, 1000], [6, 1000], [7, 1000], [8, 2000]]);
    await limiter.acquire('other');
    expect(clock).toBe(2000);
  });
});
