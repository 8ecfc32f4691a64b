import { DeliveryError, type Channel } from '../notify/channel.js';
import { webhookRequestError, webhookStatusError, parseRetryAfter } from './webhook-errors.js';
import { webhookPayload } from './webhook-payload.js';
import { signWebhook, webhookSignatureHeader, webhookTimestampHeader } from './webhook-signature.js';

export interface WebhookChannelOptions {
  url: string;
  /** The HMAC-SHA256 key of `X-Burnrate-Signature`. */
  secret: string;
  /** Sent with every request (configured values and those read from the environment). */
  headers?: Readonly<Record<string, string>>;
  /** Per request, until the answer's status line and body. Default 10000. */
  timeoutMs?: number;
  /** Attempts of one notification (counted by this process) before it is given up; default: until the outbox gives up. */
  maxAttempts?: number;
  /** Unix seconds for `X-Burnrate-Timestamp`: the wall clock, which the receiver compares with its own. */
  now?: () => number;
}

/** Headers burnrate sets itself; configured headers may not replace them. */
export const reservedWebhookHeaders = ['content-type', 'idempotency-key', 'user-agent', webhookTimestampHeader.toLowerCase(), webhookSignatureHeader.toLowerCase()] as const;

/** What the webhook integration keeps of an incident: the id of its first notification, named by every later one. */
export interface WebhookThread {
  incident: string;
}

const answerPreviewChars = 200;

/**
 * A JSON POST per notification, signed (see webhook-signature.ts), with `Idempotency-Key` = the notification id.
 * HTTP has no way to ask a receiver whether a request arrived, so `findDelivered` cannot tell: after a crash or a
 * timeout the same notification is sent again with the same key, and the receiver drops the repeat.
 */
export function createWebhookChannel(options: WebhookChannelOptions): Channel {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const now = options.now ?? (() => Date.now() / 1000);
  const attempts = new Map<string, number>();
  const custom = Object.entries(options.headers ?? {}).filter(([name]) => !(reservedWebhookHeaders as readonly string[]).includes(name.toLowerCase()));

  const post = async (id: string, body: string): Promise<void> => {
    const timestamp = Math.floor(now());
    const headers: Record<string, string> = {
      ...Object.fromEntries(custom),
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'burnrate-webhook/1',
      'idempotency-key': id,
      [webhookTimestampHeader]: String(timestamp),
      [webhookSignatureHeader]: signWebhook(options.secret, timestamp, body),
    };
    let response: Response;
    let answer: string;
    try {
      response = await fetch(options.url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
      answer = await response.text();
    } catch (error) {
      throw webhookRequestError(error, timeoutMs);
    }
    if (response.status >= 200 && response.status < 300) return;
    const preview = answer.replace(/\s+/g, ' ').trim().slice(0, answerPreviewChars);
    throw webhookStatusError(response.status, parseRetryAfter(response.headers.get('retry-after'), now()), preview);
  };

  return {
    kind: 'webhook',

    async deliver(notification, thread) {
      const incident = incidentOf(thread) ?? notification.id;
      const body = JSON.stringify(webhookPayload(notification, incident));
      const attempt = (attempts.get(notification.id) ?? 0) + 1;
      attempts.set(notification.id, attempt);
      try {
        await post(notification.id, body);
      } catch (error) {
        const failure = error as DeliveryError;
        if (!failure.retryable) attempts.delete(notification.id);
        else if (options.maxAttempts !== undefined && attempt >= options.maxAttempts) {
          attempts.delete(notification.id);
          throw new DeliveryError('rejected', `given up after ${attempt} attempts (maxAttempts): ${failure.message}`, { cause: failure });
        }
        throw failure;
      }
      attempts.delete(notification.id);
      return { webhook: { incident } satisfies WebhookThread };
    },

    // An HTTP receiver cannot be asked whether a request arrived: the resend carries the same Idempotency-Key.
    findDelivered: () => Promise.resolve(undefined),

    // Every notification of an incident names the incident's first one.
    nextThread: (previous, receipt) => (incidentOf(previous) === undefined && receipt['webhook'] !== undefined ? { ...previous, webhook: receipt['webhook'] } : { ...previous }),

    close: () => Promise.resolve(),
  };
}

function incidentOf(thread: Readonly<Record<string, unknown>> | null): string | undefined {
  const entry = thread?.['webhook'] as Partial<WebhookThread> | undefined;
  return typeof entry?.incident === 'string' ? entry.incident : undefined;
}
