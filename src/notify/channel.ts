import type { Notification } from './notification.js';

/**
 * Where earlier notifications of the same incident went, so updates and resolves join them: one entry per
 * integration kind, which only that kind's integration reads. Stored as JSON with the incident.
 */
export interface ThreadRef {
  slack?: { channel: string; ts: string };
  email?: { rootMessageId: string; references: string[] };
  readonly [kind: string]: unknown;
}

/** What a successful delivery left behind, to thread later notifications onto; keyed by integration kind. */
export interface DeliveryReceipt {
  slack?: { channel: string; ts: string };
  email?: { messageId: string };
  readonly [kind: string]: unknown;
}

export const deliveryErrorCodes = ['network', 'timeout', 'rate_limited', 'server_error', 'rejected', 'bad_config'] as const;
export type DeliveryErrorCode = (typeof deliveryErrorCodes)[number];

/**
 * A failed delivery. `retryable` comes from the transport's answer: network errors, timeouts, HTTP 5xx,
 * 429 and SMTP 4xx may succeed later; Slack `ok:false` and SMTP 5xx will not.
 */
export class DeliveryError extends Error {
  readonly code: DeliveryErrorCode;
  readonly retryable: boolean;
  /** Seconds the receiver asked us to wait (Slack's Retry-After). */
  readonly retryAfter: number | undefined;
  constructor(code: DeliveryErrorCode, message: string, options: { retryAfter?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'DeliveryError';
    this.code = code;
    this.retryable = code === 'network' || code === 'timeout' || code === 'rate_limited' || code === 'server_error';
    this.retryAfter = options.retryAfter;
  }
}

/**
 * A receiver's integration (Slack, email, …): the delivery worker knows integrations only through this, so a new
 * kind is a module implementing it, built from its receiver settings, and nothing in the pipeline changes.
 */
export interface Channel {
  /** The integration kind, the last part of its id (`payments/slack`). */
  readonly kind: string;
  /** Sends the notification, as a new message or into `thread`. Throws DeliveryError. */
  deliver(notification: Notification, thread: ThreadRef | null): Promise<DeliveryReceipt>;
  /**
   * After a crash during delivery: whether this notification already arrived (Slack: a message carrying its
   * id in metadata), so it is not sent twice. Channels that cannot tell return undefined.
   */
  findDelivered(notification: Notification, thread: ThreadRef | null): Promise<DeliveryReceipt | undefined>;
  /** The incident's thread after a delivery left this receipt (the first one opens it), for its later notifications. */
  nextThread(previous: ThreadRef | null, receipt: DeliveryReceipt): ThreadRef;
  close(): Promise<void>;
}
