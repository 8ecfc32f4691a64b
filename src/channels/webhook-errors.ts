import { DeliveryError } from '../notify/channel.js';

/**
 * What a webhook receiver's answer means for the outbox: 2xx is success (checked by the caller); 408, 429 and
 * 5xx may succeed later (with the `Retry-After` they asked for); a redirect or any other 4xx will not. Retrying a
 * 4xx would only repeat a request the receiver already refused, so it is given up at once.
 */
export function webhookStatusError(status: number, retryAfter: number | undefined, detail: string): DeliveryError {
  const what = `webhook answered HTTP ${status}${detail === '' ? '' : `: ${detail}`}`;
  const options = retryAfter === undefined ? {} : { retryAfter };
  if (status === 429) return new DeliveryError('rate_limited', `${what}${retryAfter === undefined ? '' : ` (retry after ${retryAfter}s)`}`, options);
  if (status === 408 || status >= 500) return new DeliveryError('server_error', what, options);
  if (status >= 300 && status < 400) return new DeliveryError('bad_config', `${what}; redirects are not followed (a signed body goes only where configured): set url to the final address`);
  if (status === 401 || status === 403) return new DeliveryError('bad_config', `${what}; does the receiver have the same secret, and a clock within its tolerance?`);
  if (status === 404 || status === 405 || status === 410) return new DeliveryError('bad_config', `${what}; is the webhook url right?`);
  return new DeliveryError('rejected', what);
}

/** A request that got no answer: our timeout (the receiver may have acted), or a network failure. */
export function webhookRequestError(error: unknown, timeoutMs: number): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const e = (error ?? {}) as { name?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return new DeliveryError('timeout', `webhook: no answer within ${timeoutMs} ms`, { cause: error });
  const detail = [e.cause?.code, e.cause?.message ?? e.message].filter((part) => typeof part === 'string' && part !== '').join(' ');
  return new DeliveryError('network', `webhook: ${detail || 'request failed'}`, { cause: error });
}

/**
 * `Retry-After` in seconds: a number of seconds or an HTTP date (relative to `now`, unix seconds). Undefined
 * when absent or unreadable; never negative; capped at a day so a broken header cannot park a page.
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const text = value.trim();
  const seconds = /^\d+(\.\d+)?$/.test(text) ? Number(text) : (Date.parse(text) / 1000) - now;
  if (!Number.isFinite(seconds)) return undefined;
  return Math.min(86_400, Math.max(0, Math.ceil(seconds)));
}
