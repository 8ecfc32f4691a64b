import { LogLevel, WebClient, type Logger } from '@slack/web-api';
import { slackDeliveryError } from '../channels/slack-errors.js';
import type { SlackTarget } from '../routing/routing-model.js';
import type { SlackReportMessage } from './slack-report.js';

/** Posts the report summary; the client's own retries are off (`chat.postMessage` has no idempotency key). */
export async function sendReportSlack(target: SlackTarget, message: SlackReportMessage, timeoutMs = 10_000): Promise<{ ts: string }> {
  const client = new WebClient(target.token, {
    slackApiUrl: target.apiUrl ?? 'https://slack.com/api/',
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: timeoutMs,
    logger: silentLogger,
  });
  try {
    const answer = await client.chat.postMessage({ channel: target.channel, text: message.text, blocks: message.blocks as never, unfurl_links: false });
    return { ts: String(answer.ts) };
  } catch (error) {
    throw slackDeliveryError('chat.postMessage', error);
  }
}

const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};
