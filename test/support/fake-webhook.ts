import { createServer, type IncomingHttpHeaders } from 'node:http';
import { restartable } from './restartable-server.js';
import { defaultWebhookTolerance, verifyWebhookSignature } from '../../src/channels/webhook-signature.js';
import type { WebhookPayload } from '../../src/channels/webhook-payload.js';

/**
 * A loopback receiver of burnrate's webhooks that does what the docs tell a receiver to do
 * (docs/receivers/webhook.md):
 * - verifies `X-Burnrate-Signature` over `"<X-Burnrate-Timestamp>.<raw body>"` with the shared secret and refuses a
 *   timestamp more than `tolerance` seconds from its own clock (a replay of an old request) with 401;
 * - answers 400 to a body that is not JSON of version `burnrate.webhook/v1`, or a request without `Idempotency-Key`;
 * - deduplicates by `Idempotency-Key`: the first request with a key is a delivery, a later one with the same key
 *   is answered 200 and counted as a resend (`resends`), never delivered twice.
 *
 * Failure injection (`failNext`) consumes one scripted failure per request, in order:
 * - `{ status: 429, retryAfter }`: 429 with `Retry-After`, nothing recorded;
 * - `{ status: 408 | 500 | 502 | 503 | 400 | 404 | 410 | 422 }`: that status, nothing recorded;
 * - `{ delayMs }`: the delivery is recorded at once but the answer comes `delayMs` later (the receiver acted while
 *   the sender gave up waiting: the resend hazard);
 * - `{ dropConnection: true }`: the socket is destroyed without an answer, nothing recorded.
 * `stop()` closes the port (connection refused) and `start()` listens on the same port again.
 * Every request, refused or not, is in `requests`.
 */
export interface FakeWebhook {
  url: string;
  secret: string;
  /** First arrivals, one per Idempotency-Key, in order. */
  deliveries: WebhookDelivery[];
  /** Requests whose key had already been delivered (answered 200, not delivered again). */
  resends: WebhookDelivery[];
  requests: WebhookRequest[];
  failNext(failure: FakeWebhookFailure): void;
  byKey(key: string): WebhookDelivery | undefined;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export type FakeWebhookFailure = { status: 429; retryAfter: number | string } | { status: 400 | 404 | 408 | 410 | 422 | 500 | 502 | 503 } | { delayMs: number } | { dropConnection: true };

export interface WebhookRequest {
  headers: IncomingHttpHeaders;
  body: string;
  /** What the fake answered (0 for a dropped connection). */
  status: number;
  /** Why a 401 or 400 was answered. */
  refused?: string;
}

export interface WebhookDelivery {
  key: string;
  timestamp: number;
  headers: IncomingHttpHeaders;
  body: string;
  payload: WebhookPayload;
  /** The receiver's clock when it arrived. */
  at: number;
}

export interface FakeWebhookOptions {
  secret?: string;
  /** Seconds. Default 300. */
  tolerance?: number;
  /** The receiver's clock, unix seconds. Default the wall clock. */
  now?: () => number;
}

export async function startFakeWebhook(options: FakeWebhookOptions = {}): Promise<FakeWebhook> {
  const secret = options.secret ?? 'whsec-burnrate-test';
  const tolerance = options.tolerance ?? defaultWebhookTolerance;
  const now = options.now ?? (() => Date.now() / 1000);
  const deliveries: WebhookDelivery[] = [];
  const resends: WebhookDelivery[] = [];
  const requests: WebhookRequest[] = [];
  const failures: FakeWebhookFailure[] = [];
  const seen = new Map<string, WebhookDelivery>();

  const server = restartable(
    createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const record: WebhookRequest = { headers: request.headers, body, status: 0 };
      requests.push(record);
      const answer = (status: number, text: string, headers: Record<string, string> = {}, refused?: string) => {
        record.status = status;
        if (refused !== undefined) record.refused = refused;
        response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify({ status: text }));
      };
      if (request.method !== 'POST') return answer(405, 'method not allowed');
      const header = (name: string) => {
        const value = request.headers[name];
        return Array.isArray(value) ? value[0] : value;
      };
      const verdict = verifyWebhookSignature(secret, header('x-burnrate-timestamp'), body, header('x-burnrate-signature'), now(), tolerance);
      if (!verdict.ok) return answer(401, verdict.reason, {}, verdict.message);
      const key = header('idempotency-key');
      if (key === undefined || key === '') return answer(400, 'no key', {}, 'no Idempotency-Key');
      let payload: WebhookPayload;
      try {
        payload = JSON.parse(body) as WebhookPayload;
      } catch {
        return answer(400, 'not json', {}, 'body is not JSON');
      }
      if (payload.version !== 'burnrate.webhook/v1') return answer(400, 'version', {}, `unknown version ${String(payload.version)}`);
      if (payload.notificationId !== key) return answer(400, 'key', {}, 'Idempotency-Key differs from notificationId');

      const failure = failures.shift();
      if (failure && 'dropConnection' in failure) {
        record.status = 0;
        request.socket.destroy();
        return;
      }
      if (failure && 'status' in failure) {
        return failure.status === 429 ? answer(429, 'slow down', { 'retry-after': String(failure.retryAfter) }) : answer(failure.status, 'failure');
      }
      const delivery: WebhookDelivery = { key, timestamp: Number(header('x-burnrate-timestamp')), headers: request.headers, body, payload, at: now() };
      if (seen.has(key)) resends.push(delivery);
      else {
        seen.set(key, delivery);
        deliveries.push(delivery);
      }
      if (failure && 'delayMs' in failure) {
        server.later(failure.delayMs, () => {
          if (!response.destroyed) answer(200, 'accepted');
        });
        return;
      }
      answer(seen.get(key) === delivery ? 202 : 200, seen.get(key) === delivery ? 'accepted' : 'duplicate');
    });
  }),
  );
  const { listen, stop, port } = server;
  await listen();
  return {
    url: `http://127.0.0.1:${port()}/hooks/burnrate`,
    secret,
    deliveries,
    resends,
    requests,
    failNext: (failure) => void failures.push(failure),
    byKey: (key) => seen.get(key),
    stop,
    start: listen,
    close: stop,
  };
}
