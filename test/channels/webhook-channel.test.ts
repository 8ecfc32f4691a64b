import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebhookChannel, type WebhookChannelOptions } from '../../src/channels/webhook-channel.js';
import { parseRetryAfter } from '../../src/channels/webhook-errors.js';
import type { WebhookPayload } from '../../src/channels/webhook-payload.js';
import { signWebhook, verifyWebhookSignature } from '../../src/channels/webhook-signature.js';
import { DeliveryError, type Channel } from '../../src/notify/channel.js';
import { startFakeWebhook, type FakeWebhook } from '../support/fake-webhook.js';
import { pageNotification, resolveNotification } from '../render/fixtures.js';

let hook: FakeWebhook;
let channel: Channel;

afterEach(async () => {
  await channel?.close();
  await hook?.close();
});

async function setup(options: Partial<WebhookChannelOptions> = {}, fake: Parameters<typeof startFakeWebhook>[0] = {}) {
  hook = await startFakeWebhook(fake);
  channel = createWebhookChannel({ url: hook.url, secret: hook.secret, headers: { 'X-Team': 'payments', Authorization: 'Bearer from-env' }, timeoutMs: 2000, ...options });
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

describe('webhook channel: payload and headers', () => {
  it('posts the page as signed JSON with Idempotency-Key = the notification id and the configured headers', async () => {
    await setup();
    const page = pageNotification();
    const receipt = await channel.deliver(page, null);
    expect(hook.deliveries).toHaveLength(1);
    const [delivery] = hook.deliveries;
    expect(delivery!.headers['idempotency-key']).toBe(page.id);
    expect(delivery!.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(delivery!.headers['x-team']).toBe('payments');
    expect(delivery!.headers['authorization']).toBe('Bearer from-env');
    expect(Math.abs(delivery!.timestamp - Date.now() / 1000)).toBeLessThan(60);
    expect(delivery!.headers['x-burnrate-signature']).toBe(signWebhook(hook.secret, delivery!.timestamp, delivery!.body));
    const payload: WebhookPayload = delivery!.payload;
    expect(payload).toMatchObject({ version: 'burnrate.webhook/v1', notificationId: page.id, incidentId: page.id, receiver: 'payments-oncall', status: 'firing', groupKey: page.groupKey });
    const [alert] = payload.alerts;
    expect(alert!.labels).toMatchObject({ alertname: 'SLOBurnRate', slo: 'checkout-availability', severity: 'page' });
    expect(alert!.startsAt).toBe('2026-03-14T03:02:30Z');
    expect(alert!.endsAt).toBeNull();
    expect(alert!.figures.burnRates.map((b) => [b.longWindow, b.shortWindow, b.factor, b.longBurnRate])).toEqual([
      ['1h', '5m', 14.4, 16.2],
      ['6h', '30m', 6, 4.1],
      ['1d', '2h', 3, 1.3],
      ['3d', '6h', 1, 0.9],
    ]);
    expect(alert!.figures.budgetRemaining).toBe(0.62);
    expect(alert!.figures.timeToExhaustion).toBeGreaterThan(0);
    expect(alert!.runbook?.markdown).toContain('#');
    expect(alert!.runbook?.url).toBe('https://github.com/acme/slo-config/blob/main/runbooks/checkout-availability.md');
    expect(alert!.links.runbook).toBe(alert!.runbook?.url);
    expect(alert!.deploy).toMatchObject({ found: true, version: 'v2.31.0', author: 'Dana Kim', beforeBurn: 440, finishedAt: '2026-03-14T02:55:10Z' });
    expect(receipt).toEqual({ webhook: { incident: page.id } });
  });

  it('the resolve names the incident its page opened, and the thread keeps it', async () => {
    await setup();
    const page = pageNotification();
    const thread = channel.nextThread(null, await channel.deliver(page, null));
    expect(thread).toEqual({ webhook: { incident: page.id } });
    const resolve = resolveNotification();
    const receipt = await channel.deliver(resolve, thread);
    expect(channel.nextThread(thread, receipt)).toEqual({ webhook: { incident: page.id } });
    const payload = hook.byKey(resolve.id)!.payload;
    expect(payload).toMatchObject({ notificationId: resolve.id, incidentId: page.id, status: 'resolved' });
    expect(payload.alerts[0]).toMatchObject({ state: 'resolved', endsAt: '2026-03-14T03:45:30Z' });
  });

  it('findDelivered cannot tell (the receiver deduplicates by Idempotency-Key)', async () => {
    await setup();
    await expect(channel.findDelivered(pageNotification(), null)).resolves.toBeUndefined();
  });

  it('configured headers cannot replace the ones burnrate sets', async () => {
    await setup({ headers: { 'Idempotency-Key': 'forged', 'X-Burnrate-Signature': 'v1=00' } });
    await channel.deliver(pageNotification(), null);
    expect(hook.deliveries[0]!.headers['idempotency-key']).toBe('ntf-20260314-0312-7c1e');
  });
});

describe('webhook signature', () => {
  const secret = 'whsec-1';
  const body = '{"version":"burnrate.webhook/v1"}';
  const at = 1_773_457_920;
  const header = signWebhook(secret, at, body);

  it('verifies the HMAC-SHA256 of "<timestamp>.<body>" within the tolerance', () => {
    expect(header).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(secret, String(at), body, header, at + 299, 300)).toEqual({ ok: true });
    expect(verifyWebhookSignature(secret, String(at), Buffer.from(body), header, at - 299, 300)).toEqual({ ok: true });
  });

  it('refuses a changed body, another secret, a moved timestamp, an old request and malformed headers', () => {
    const reason = (...args: Parameters<typeof verifyWebhookSignature>) => {
      const result = verifyWebhookSignature(...args);
      return result.ok ? 'ok' : result.reason;
    };
    expect(reason(secret, String(at), body.replace('v1', 'v2'), header, at, 300)).toBe('mismatch');
    expect(reason('whsec-2', String(at), body, header, at, 300)).toBe('mismatch');
    expect(reason(secret, String(at + 1), body, header, at, 300)).toBe('mismatch');
    expect(reason(secret, String(at), body, header, at + 301, 300)).toBe('expired');
    expect(reason(secret, undefined, body, header, at, 300)).toBe('malformed');
    expect(reason(secret, 'yesterday', body, header, at, 300)).toBe('malformed');
    expect(reason(secret, String(at), body, undefined, at, 300)).toBe('malformed');
    expect(reason(secret, String(at), body, 'sha256=abc', at, 300)).toBe('malformed');
    expect(reason(secret, String(at), body, 'v1=zz', at, 300)).toBe('mismatch');
  });

  it('accepts any of several v1 signatures (a secret being rotated)', () => {
    const rotated = `${signWebhook('old', at, body)}, ${header}`;
    expect(verifyWebhookSignature(secret, String(at), body, rotated, at, 300)).toEqual({ ok: true });
  });

  it('the receiver refuses a replay once it is older than its tolerance, and takes a fresh repeat as a duplicate', async () => {
    let clock = Date.now() / 1000;
    await setup({}, { now: () => clock });
    await channel.deliver(pageNotification(), null);
    const original = hook.requests[0]!;
    const replay = () =>
      fetch(hook.url, {
        method: 'POST',
        body: original.body,
        headers: Object.fromEntries(['content-type', 'idempotency-key', 'x-burnrate-timestamp', 'x-burnrate-signature'].map((h) => [h, String(original.headers[h])])),
      });
    expect((await replay()).status).toBe(200);
    expect(hook.deliveries).toHaveLength(1);
    expect(hook.resends).toHaveLength(1);
    clock += 301;
    expect((await replay()).status).toBe(401);
    expect(hook.requests.at(-1)!.refused).toMatch(/more than 300s/);
    expect(hook.deliveries).toHaveLength(1);
  });

  it('a receiver with another secret answers 401: a configuration error, not retried', async () => {
    hook = await startFakeWebhook({ secret: 'theirs' });
    channel = createWebhookChannel({ url: hook.url, secret: 'ours', timeoutMs: 2000 });
    const error = await failure(channel.deliver(pageNotification(), null));
    expect(error).toMatchObject({ code: 'bad_config', retryable: false });
    expect(error.message).toMatch(/HTTP 401.*same secret/);
    expect(hook.deliveries).toHaveLength(0);
  });
});

describe('webhook channel: answers classified', () => {
  it('429 with Retry-After: rate limited, retryable, waits as asked', async () => {
    await setup();
    hook.failNext({ status: 429, retryAfter: 45 });
    expect(await failure(channel.deliver(pageNotification(), null))).toMatchObject({ code: 'rate_limited', retryable: true, retryAfter: 45 });
    await channel.deliver(pageNotification(), null);
    expect(hook.deliveries).toHaveLength(1);
  });

  it.each([408, 500, 502, 503] as const)('%i: server error, retryable', async (status) => {
    await setup();
    hook.failNext({ status });
    expect(await failure(channel.deliver(pageNotification(), null))).toMatchObject({ code: 'server_error', retryable: true });
    expect(hook.deliveries).toHaveLength(0);
  });

  it.each([
    [400, 'rejected'],
    [422, 'rejected'],
    [404, 'bad_config'],
    [410, 'bad_config'],
  ] as const)('%i: permanent (%s)', async (status, code) => {
    await setup();
    hook.failNext({ status });
    expect(await failure(channel.deliver(pageNotification(), null))).toMatchObject({ code, retryable: false });
  });

  it('a dropped connection is a network error, retryable', async () => {
    await setup();
    hook.failNext({ dropConnection: true });
    expect(await failure(channel.deliver(pageNotification(), null))).toMatchObject({ code: 'network', retryable: true });
  });

  it('no answer within the timeout: retryable; the resend carries the same key and the receiver keeps one delivery', async () => {
    await setup({ timeoutMs: 300 });
    hook.failNext({ delayMs: 2000 });
    const page = pageNotification();
    expect(await failure(channel.deliver(page, null))).toMatchObject({ code: 'timeout', retryable: true });
    await channel.deliver(page, null);
    expect(hook.deliveries.map((d) => d.key)).toEqual([page.id]);
    expect(hook.resends.map((d) => d.key)).toEqual([page.id]);
  });

  it('nothing listening: a network error, retryable', async () => {
    const port = await new Promise<number>((ok) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as { port: number };
        probe.close(() => ok(free));
      });
    });
    channel = createWebhookChannel({ url: `http://127.0.0.1:${port}/`, secret: 's', timeoutMs: 2000 });
    expect(await failure(channel.deliver(pageNotification(), null))).toMatchObject({ code: 'network', retryable: true });
  });

  it('a redirect is not followed: permanent, the signed body goes only where configured', async () => {
    const { startFakeHttpServer } = await import('../support/fake-http-server.js');
    const server = await startFakeHttpServer((_request, response) => response.writeHead(307, { location: 'http://example.com/' }).end());
    try {
      channel = createWebhookChannel({ url: server.url, secret: 's', timeoutMs: 2000 });
      expect(await failure(channel.deliver(pageNotification(), null))).toMatchObject({ code: 'bad_config', retryable: false });
    } finally {
      await server.close();
    }
  });

  it('maxAttempts: the last allowed attempt that fails gives the notification up', async () => {
    await setup({ maxAttempts: 2 });
    hook.failNext({ status: 503 });
    hook.failNext({ status: 503 });
    expect(await failure(channel.deliver(pageNotification(), null))).toMatchObject({ retryable: true });
    const last = await failure(channel.deliver(pageNotification(), null));
    expect(last).toMatchObject({ code: 'rejected', retryable: false });
    expect(last.message).toMatch(/given up after 2 attempts.*HTTP 503/);
  });

  it('Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-03-14T03:12:00Z') / 1000;
    expect(parseRetryAfter('30', now)).toBe(30);
    expect(parseRetryAfter('Sat, 14 Mar 2026 03:13:30 GMT', now)).toBe(90);
    expect(parseRetryAfter('Sat, 14 Mar 2026 03:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('999999999', now)).toBe(86_400);
  });
});
