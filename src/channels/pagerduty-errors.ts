import { DeliveryError } from '../notify/channel.js';

/**
 * Classifies an Events API answer other than 2xx, as PagerDuty documents them: 400 is a malformed or refused
 * event (permanent), 429 is rate limiting and 5xx a PagerDuty fault (both retried, honouring `Retry-After`).
 * 404 and other 4xx mean the URL or the integration is wrong: permanent, so nobody waits on a page that cannot go.
 */
export function pagerDutyStatusError(what: string, status: number, body: string, retryAfterHeader: string | null): DeliveryError {
  const retryAfter = parseRetryAfter(retryAfterHeader);
  const options = retryAfter === undefined ? {} : { retryAfter };
  if (status === 429) return new DeliveryError('rate_limited', `${what}: HTTP 429 rate limited${retryAfter === undefined ? '' : `, retry after ${retryAfter}s`}`, options);
  if (status >= 500) return new DeliveryError('server_error', `${what}: HTTP ${status}`, options);
  if (status === 404) return new DeliveryError('bad_config', `${what}: HTTP 404, is the PagerDuty URL right?`);
  return new DeliveryError('rejected', `${what}: HTTP ${status}${describeErrors(body)}`);
}

/** What fetch threw: our timeout, or a network failure (refused, reset, DNS). Both may succeed later. */
export function pagerDutyRequestError(what: string, error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const e = (error ?? {}) as { name?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return new DeliveryError('timeout', `${what}: no answer in time`, { cause: error });
  const detail = [e.cause?.code, e.cause?.message ?? e.message].filter((part) => typeof part === 'string' && part !== '').join(' ');
  return new DeliveryError('network', `${what}: ${detail || 'request failed'}`, { cause: error });
}

/** `Retry-After` in seconds or as an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

function describeErrors(body: string): string {
  try {
    const answer = JSON.parse(body) as { message?: unknown; errors?: unknown };
    const errors = Array.isArray(answer.errors) ? answer.errors.filter((e) => typeof e === 'string') : [];
    const message = typeof answer.message === 'string' ? answer.message : '';
    const parts = [message, ...errors].filter((p) => p !== '');
    return parts.length === 0 ? '' : `: ${parts.join('; ').slice(0, 500)}`;
  } catch {
    return body.trim() === '' ? '' : `: ${body.trim().slice(0, 200)}`;
  }
}
