import { slackClient } from '../channels/slack-client.js';
import { slackDeliveryError } from '../channels/slack-errors.js';
import type { SlackTarget } from '../routing/routing-model.js';
import type { SlackReportMessage } from './slack-report.js';

/** Posts the report summary; the client's own retries are off (`chat.postMessage` has no idempotency key). */
export async function sendReportSlack(target: SlackTarget, message: SlackReportMessage, timeoutMs = 10_000): Promise<{ ts: string }> {
  const client = slackClient(target.token, target.apiUrl, timeoutMs);
  try {
    const answer = await client.chat.postMessage({ channel: target.channel, text: message.text, blocks: message.blocks as never, unfurl_links: false });
    return { ts: String(answer.ts) };
  } catch (error) {
    throw slackDeliveryError('chat.postMessage', error);
  }
}
