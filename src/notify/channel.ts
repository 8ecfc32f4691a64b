import type { Notification } from './notification.js';

/** Where earlier notifications of the same incident went, so updates and resolves join them. */
export interface ThreadRef {
  slack?: { channel: string; ts: string };
  email?: { rootMessageId: string; references: string[] };
}

/** What a successful delivery left behind, to thread later notifications onto. */
export interface DeliveryReceipt {
  slack?: { channel: string; ts: string };
  email?: { messageId: string };
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

/** A receiver's transport: Slack or email. */
export interface Channel {
  readonly kind: 'slack' | 'email';
  /** Sends the notification, as a new message or into `thread`. Throws DeliveryError. */
  deliver(notification: Notification, thread: ThreadRef | null): Promise<DeliveryReceipt>;
  /**
   * After a crash during delivery: whether this notification already arrived (Slack: a message carrying its
   * id in metadata), so it is not sent twice. Channels that cannot tell return undefined.
   */
  findDelivered(notification: Notification, thread: ThreadRef | null): Promise<DeliveryReceipt | undefined>;
  close(): Promise<void>;
}
