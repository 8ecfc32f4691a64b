import { DeliveryError } from '../notify/channel.js';
import { parseRetryAfter } from './webhook-errors.js';

export { parseRetryAfter };

/**
 * What a Teams Workflows webhook's answer means for the outbox: 2xx (200 or 202) is success (checked by the
 * caller); 429 (with its `Retry-After`), 408 and 5xx may succeed later; 400 (a card Teams refuses) and 413 (over
 * 28 KB) will not; 401/403/404 mean the URL is wrong or its signature (`sig=`) no longer valid: permanent, so
 * nobody waits on a page that cannot go.
 */
export function teamsStatusError(status: number, retryAfter: number | undefined, detail: string): DeliveryError {
  const what = `Teams webhook answered HTTP ${status}${detail === '' ? '' : `: ${detail}`}`;
  const options = retryAfter === undefined ? {} : { retryAfter };
  if (status === 429) return new DeliveryError('rate_limited', `${what}${retryAfter === undefined ? '' : ` (retry after ${retryAfter}s)`}`, options);
  if (status === 408 || status >= 500) return new DeliveryError('server_error', what, options);
  if (status === 413) return new DeliveryError('rejected', `${what}; the card is over Teams' 28 KB message limit`);
  if (status === 401 || status === 403 || status === 404 || status === 410) return new DeliveryError('bad_config', `${what}; is the Workflows URL (its sig= signature) still valid?`);
  if (status >= 300 && status < 400) return new DeliveryError('bad_config', `${what}; redirects are not followed: set the final Workflows URL`);
  return new DeliveryError('rejected', what);
}

/** A request that got no answer: our timeout (Teams may have posted the card), or a network failure. */
export function teamsRequestError(error: unknown, timeoutMs: number): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const e = (error ?? {}) as { name?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return new DeliveryError('timeout', `Teams webhook: no answer within ${timeoutMs} ms`, { cause: error });
  const detail = [e.cause?.code, e.cause?.message ?? e.message].filter((part) => typeof part === 'string' && part !== '').join(' ');
  return new DeliveryError('network', `Teams webhook: ${detail || 'request failed'}`, { cause: error });
}
