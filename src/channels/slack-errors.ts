import { ErrorCode } from '@slack/web-api';
import { DeliveryError } from '../notify/channel.js';

/**
 * Maps what `@slack/web-api` threw to a DeliveryError. The client runs without its own retries, so each error is
 * the answer to exactly one HTTP request.
 */
export function slackDeliveryError(method: string, error: unknown): DeliveryError {
  const what = `Slack ${method}`;
  if (error instanceof DeliveryError) return error;
  const e = (error ?? {}) as { code?: unknown; message?: unknown };
  switch (e.code) {
    case ErrorCode.RateLimitedError: {
      const retryAfter = (error as { retryAfter: number }).retryAfter;
      return new DeliveryError('rate_limited', `${what}: rate limited, retry after ${retryAfter}s`, { retryAfter, cause: error });
    }
    case ErrorCode.PlatformError: {
      const code = (error as { data?: { error?: unknown } }).data?.error;
      return new DeliveryError('rejected', `${what} answered ok:false: ${String(code)}`, { cause: error });
    }
    case ErrorCode.HTTPError: {
      const status = (error as { statusCode: number }).statusCode;
      if (status >= 500) return new DeliveryError('server_error', `${what}: HTTP ${status}`, { cause: error });
      if (status === 404) return new DeliveryError('bad_config', `${what}: HTTP 404, is the Slack API URL right?`, { cause: error });
      return new DeliveryError('rejected', `${what}: HTTP ${status}`, { cause: error });
    }
    case ErrorCode.RequestError:
      return requestError(what, (error as { original?: unknown }).original, error);
  }
  const message = typeof e.message === 'string' ? e.message : String(error);
  // A 429 without a usable Retry-After reaches us as a plain Error from the client.
  if (/rate limit|retry header/i.test(message)) return new DeliveryError('rate_limited', `${what}: ${message}`, { cause: error });
  return new DeliveryError('network', `${what}: ${message}`, { cause: error });
}

function requestError(what: string, original: unknown, error: unknown): DeliveryError {
  const o = (original ?? {}) as { name?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } };
  if (o.name === 'TimeoutError' || o.name === 'AbortError') return new DeliveryError('timeout', `${what}: no answer in time`, { cause: error });
  const detail = [o.cause?.code, o.cause?.message ?? o.message].filter((part) => typeof part === 'string' && part !== '').join(' ');
  return new DeliveryError('network', `${what}: ${detail || 'request failed'}`, { cause: error });
}
