import { describe, expect, it } from 'vitest';
import { WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError } from '@slack/web-api';
import { slackDeliveryError } from '../../src/channels/slack-errors.js';
import { smtpDeliveryError } from '../../src/channels/smtp-errors.js';

const smtp = (code: string, responseCode?: number, response?: string) => Object.assign(new Error(response ?? code), { code, responseCode, response });

describe('smtpDeliveryError', () => {
  const cases: Array<{ when: string; error: unknown; code: string; retryable: boolean }> = [
    { when: '421 service not available is retryable', error: smtp('EENVELOPE', 421, '421 shutting down'), code: 'server_error', retryable: true },
    { when: '450 mailbox busy is retryable', error: smtp('EENVELOPE', 450, '450 mailbox busy'), code: 'server_error', retryable: true },
    { when: '451 local error after DATA is retryable', error: smtp('EMESSAGE', 451, '451 try later'), code: 'server_error', retryable: true },
    { when: '454 temporary authentication failure is retryable', error: smtp('EAUTH', 454, '454 try later'), code: 'server_error', retryable: true },
    { when: '550 mailbox unavailable is permanent', error: smtp('EENVELOPE', 550, '550 no such user'), code: 'rejected', retryable: false },
    { when: '553 mailbox name not allowed is permanent', error: smtp('EENVELOPE', 553, '553 bad name'), code: 'rejected', retryable: false },
    { when: '554 transaction failed is permanent', error: smtp('EMESSAGE', 554, '554 spam'), code: 'rejected', retryable: false },
    { when: '535 refused credentials are a configuration problem', error: smtp('EAUTH', 535, '535 bad credentials'), code: 'bad_config', retryable: false },
    { when: '530 authentication required is a configuration problem', error: smtp('EENVELOPE', 530, '530 auth required'), code: 'bad_config', retryable: false },
    { when: 'missing credentials are a configuration problem', error: smtp('ENOAUTH'), code: 'bad_config', retryable: false },
    { when: 'no recipients is a configuration problem', error: smtp('EENVELOPE'), code: 'bad_config', retryable: false },
    { when: 'a timeout is a timeout', error: smtp('ETIMEDOUT'), code: 'timeout', retryable: true },
    { when: 'a refused connection is a network error', error: smtp('ESOCKET', undefined, 'connect ECONNREFUSED 127.0.0.1:25'), code: 'network', retryable: true },
    { when: 'a reset connection is a network error', error: smtp('ECONNECTION'), code: 'network', retryable: true },
    { when: 'a DNS failure is a network error', error: smtp('EDNS'), code: 'network', retryable: true },
    { when: 'an unknown failure is retried (bounded by the outbox)', error: new Error('something odd'), code: 'network', retryable: true },
  ];
  it.each(cases)('$when', ({ error, code, retryable }) => {
    expect(smtpDeliveryError(error)).toMatchObject({ code, retryable });
  });
});

describe('slackDeliveryError', () => {
  const cases: Array<{ when: string; error: unknown; code: string; retryable: boolean; retryAfter?: number }> = [
    { when: 'a rate-limited call carries Retry-After', error: new WebAPIRateLimitedError(30), code: 'rate_limited', retryable: true, retryAfter: 30 },
    { when: 'ok:false is permanent', error: new WebAPIPlatformError({ ok: false, error: 'invalid_blocks' }), code: 'rejected', retryable: false },
    { when: 'HTTP 502 is retryable', error: new WebAPIHTTPError(502, 'Bad Gateway', {}), code: 'server_error', retryable: true },
    { when: 'HTTP 404 means a wrong API URL', error: new WebAPIHTTPError(404, 'Not Found', {}), code: 'bad_config', retryable: false },
    { when: 'HTTP 400 is permanent', error: new WebAPIHTTPError(400, 'Bad Request', {}), code: 'rejected', retryable: false },
    { when: 'an aborted request is a timeout', error: new WebAPIRequestError(Object.assign(new Error('aborted'), { name: 'TimeoutError' })), code: 'timeout', retryable: true },
    { when: 'a failed fetch is a network error', error: new WebAPIRequestError(new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } })), code: 'network', retryable: true },
    { when: 'a 429 without a usable Retry-After is still rate limited', error: new Error('Retry header did not contain a valid timeout'), code: 'rate_limited', retryable: true },
  ];
  it.each(cases)('$when', ({ error, code, retryable, retryAfter }) => {
    const mapped = slackDeliveryError('chat.postMessage', error);
    expect(mapped).toMatchObject({ code, retryable });
    expect(mapped.retryAfter).toBe(retryAfter);
    expect(mapped.message).toMatch(/^Slack chat\.postMessage/);
  });
});
