import { LogLevel, WebClient, type Logger } from '@slack/web-api';

/** Failures surface as DeliveryErrors; the client's own console logging would only repeat them. */
const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

/**
 * A Slack Web API client that never retries on its own: `chat.postMessage` has no idempotency key, so a blind
 * retry after a timeout can post twice; retries belong to the caller's outbox.
 */
export function slackClient(token: string, apiUrl: string | undefined, timeoutMs: number): WebClient {
  return new WebClient(token, {
    slackApiUrl: apiUrl ?? 'https://slack.com/api/',
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: timeoutMs,
    logger: silentLogger,
  });
}
