import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPagerDutyChannel } from '../../src/channels/pagerduty-channel.js';
import { eventBytes, pagerDutyEvent, pagerDutyLimits } from '../../src/channels/pagerduty-event.js';
import { parseRetryAfter } from '../../src/channels/pagerduty-errors.js';
import { DeliveryError, type Channel } from '../../src/notify/channel.js';
import type { PagerDutyTarget } from '../../src/routing/routing-model.js';
import { startFakePagerDuty, type FakePagerDuty } from '../support/fake-pagerduty.js';
import { bigGroup, checkoutDetail, pageNotification, resolveNotification } from '../render/fixtures.js';

let pd: FakePagerDuty;
let channel: Channel;
const target = (overrides: Partial<PagerDutyTarget> = {}): PagerDutyTarget => ({
  routingKey: pd.routingKey,
  severity: { page: 'critical', ticket: 'warning' },
  url: pd.url,
  client: 'burnrate',
  ...overrides,
});

beforeEach(async () => {
  pd = await startFakePagerDuty();
  channel = createPagerDutyChannel({ target: target(), timeoutMs: 500 });
});
afterEach(async () => {
  await pd.close();
});

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

describe('PagerDuty event', () => {
  it('a page is a trigger with the PagerDuty fields: summary, source, severity, component, group, class, custom_details, links', () => {
    const event = pagerDutyEvent(pageNotification(), 'inc-1', target());
    expect(event).toMatchObject({ routing_key: pd.routingKey, event_action: 'trigger', dedup_key: 'inc-1', client: 'burnrate' });
    expect(event.payload).toMatchObject({ source: 'checkout-availability', severity: 'critical', component: 'checkout', class: 'SLOBurnRate' });
    expect(event.payload!.summary).toMatch(/^\[FIRING\] checkout-availability page: burning .*× over 1h .*budget left$/);
    const [alert] = event.payload!.custom_details['alerts'] as Array<Record<string, unknown>>;
    expect(alert).toMatchObject({ budget_remaining: expect.stringMatching(/%$/), preceding_deploy: { service: 'checkout', version: expect.any(String) } });
    expect(alert!['burn_rates']).toEqual(expect.arrayContaining([expect.objectContaining({ windows: '1h/5m', firing: true })]));
    const [runbook] = event.payload!.custom_details['runbooks'] as Array<{ text: string; url: string }>;
    expect(runbook!.text.length).toBeGreaterThan(100);
    expect(event.links!.map((l) => l.text)).toEqual(expect.arrayContaining([expect.stringMatching(/^Runbook/), expect.stringMatching(/^Deploy/)]));
  });

  it('the severity mapping is configurable: a ticket takes the ticket severity', () => {
    const ticket = checkoutDetail('firing');
    const n = pageNotification([{ ...ticket, alert: { ...ticket.alert, severity: 'ticket' } }]);
    expect(pagerDutyEvent(n, 'k', target({ severity: { page: 'critical', ticket: 'info' } })).payload!.severity).toBe('info');
  });

  it('a resolve carries only the routing key, the action and the same dedup_key', () => {
    expect(pagerDutyEvent(resolveNotification(), 'inc-1', target())).toEqual({ routing_key: pd.routingKey, event_action: 'resolve', dedup_key: 'inc-1' });
  });

  it('a summary over 1,024 characters is cut to 1,024', () => {
    const detail = checkoutDetail('firing');
    const name = 'x'.repeat(3000);
    const n = pageNotification([{ ...detail, alert: { ...detail.alert, slo: name } }]);
    const summary = pagerDutyEvent(n, 'k', target()).payload!.summary;
    expect(summary).toHaveLength(pagerDutyLimits.summary);
    expect(summary.endsWith('…')).toBe(true);
  });

  it('a runbook that would take the event over 512 KB is trimmed, with a note, and the event fits', () => {
    const detail = checkoutDetail('firing');
    const markdown = `# Huge\n${'line with "quotes" and ünïcödé\n'.repeat(40_000)}`;
    const n = pageNotification([{ ...detail, runbook: { ...detail.runbook!, markdown } }]);
    const event = pagerDutyEvent(n, 'k', target());
    const [runbook] = event.payload!.custom_details['runbooks'] as Array<{ text: string }>;
    expect(eventBytes(event)).toBeLessThanOrEqual(pagerDutyLimits.eventBytes);
    expect(eventBytes(event)).toBeGreaterThan(pagerDutyLimits.eventBytes - 16 * 1024);
    expect(runbook!.text.startsWith('# Huge')).toBe(true);
    expect(runbook!.text).toMatch(/trimmed to fit PagerDuty’s 512 KB event limit/);
  });

  it('a big group lists every alert and its runbooks once per file', () => {
    const event = pagerDutyEvent(bigGroup(12), 'k', target());
    expect(event.payload!.custom_details['alerts']).toHaveLength(12);
    const paths = (event.payload!.custom_details['runbooks'] as Array<{ path: string }>).map((r) => r.path);
    expect(new Set(paths).size).toBe(paths.length);
    expect(event.payload!.summary).toMatch(/\(\+\d+ more\)$/);
  });
});

describe('PagerDuty channel against a local Events API', () => {
  it('a page opens one alert keyed by the incident id; a resolve with the thread resolves it', async () => {
    const page = pageNotification();
    const receipt = await channel.deliver(page, null);
    expect(receipt).toEqual({ pagerduty: { dedupKey: page.id } });
    const thread = channel.nextThread(null, receipt);
    expect(thread).toEqual({ pagerduty: { dedupKey: page.id } });
    await channel.deliver({ ...resolveNotification(), id: 'resolve-1' }, thread);
    expect(pd.alerts).toEqual([expect.objectContaining({ dedupKey: page.id, status: 'resolved', triggers: 1 })]);
    expect(pd.events.map((e) => e.event_action)).toEqual(['trigger', 'resolve']);
  });

  it('the same page sent twice (a resend after a crash) is one alert: PagerDuty deduplicates by dedup_key', async () => {
    const page = pageNotification();
    await channel.deliver(page, null);
    await channel.deliver(page, null);
    expect(pd.alerts).toHaveLength(1);
    expect(pd.alerts[0]!.triggers).toBe(2);
    expect(await channel.findDelivered(page, null)).toBeUndefined();
  });

  it('nextThread keeps the first dedup_key and the other kinds’ entries', () => {
    const thread = channel.nextThread({ slack: { channel: 'C1', ts: '1.0' }, pagerduty: { dedupKey: 'first' } }, { pagerduty: { dedupKey: 'later' } });
    expect(thread).toEqual({ slack: { channel: 'C1', ts: '1.0' }, pagerduty: { dedupKey: 'first' } });
  });

  it('429 is rate_limited and retryable, with Retry-After', async () => {
    pd.failNext({ status: 429, retryAfter: 30 });
    const e = await failure(channel.deliver(pageNotification(), null));
    expect({ code: e.code, retryable: e.retryable, retryAfter: e.retryAfter }).toEqual({ code: 'rate_limited', retryable: true, retryAfter: 30 });
  });

  it('5xx is server_error and retryable', async () => {
    pd.failNext({ status: 503 });
    const e = await failure(channel.deliver(pageNotification(), null));
    expect({ code: e.code, retryable: e.retryable }).toEqual({ code: 'server_error', retryable: true });
  });

  it('400 (a wrong routing key) is rejected and permanent, with PagerDuty’s errors in the message', async () => {
    const wrong = createPagerDutyChannel({ target: target({ routingKey: 'WRONG' }), timeoutMs: 500 });
    const e = await failure(wrong.deliver(pageNotification(), null));
    expect({ code: e.code, retryable: e.retryable }).toEqual({ code: 'rejected', retryable: false });
    expect(e.message).toMatch(/HTTP 400: Event object is invalid; Invalid routing key/);
  });

  it('a wrong URL (404) is bad_config and permanent', async () => {
    const wrong = createPagerDutyChannel({ target: target({ url: `${pd.url}/nope` }), timeoutMs: 500 });
    const e = await failure(wrong.deliver(pageNotification(), null));
    expect({ code: e.code, retryable: e.retryable }).toEqual({ code: 'bad_config', retryable: false });
  });

  it('no answer in time is a retryable timeout (the event arrived; the resend is deduplicated)', async () => {
    pd.failNext({ delayMs: 2000 });
    const e = await failure(channel.deliver(pageNotification(), null));
    expect({ code: e.code, retryable: e.retryable }).toEqual({ code: 'timeout', retryable: true });
    await channel.deliver(pageNotification(), null);
    expect(pd.alerts).toHaveLength(1);
  });

  it('a dropped connection and a server that is down are retryable network errors', async () => {
    pd.failNext({ dropConnection: true });
    const dropped = await failure(channel.deliver(pageNotification(), null));
    expect({ code: dropped.code, retryable: dropped.retryable }).toEqual({ code: 'network', retryable: true });
    await pd.down();
    const refused = await failure(channel.deliver(pageNotification(), null));
    expect({ code: refused.code, retryable: refused.retryable }).toEqual({ code: 'network', retryable: true });
    expect(refused.message).toMatch(/ECONNREFUSED/);
  });

  it('Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('12')).toBe(12);
    expect(parseRetryAfter(new Date(Date.parse('2026-01-01T00:01:00Z')).toUTCString(), Date.parse('2026-01-01T00:00:00Z'))).toBe(60);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
