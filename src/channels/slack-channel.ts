import { DeliveryError, type Channel, type DeliveryReceipt } from '../notify/channel.js';
import type { Notification } from '../notify/notification.js';
import type { RenderSlack, SlackMessage } from '../notify/rendering.js';
import { slackClient } from './slack-client.js';
import { slackDeliveryError } from './slack-errors.js';

export interface SlackChannelOptions {
  /** Bot token (`xoxb-…`) with `chat:write` and, for `findDelivered`, `channels:history`. */
  token: string;
  /** Channel id the receiver posts to. */
  channel: string;
  render: RenderSlack;
  /** `slackApiUrl`; tests point it at a local server. */
  apiUrl?: string;
  /** Per request. Default 10000. */
  timeoutMs?: number;
}

/** The metadata event type that marks burnrate's messages; its payload carries the notification id. */
export const slackEventType = 'burnrate_notification';
/** How far before a notification was planned `findDelivered` looks, for clock skew between us and Slack. */
const lookbackSeconds = 60;
const pageSize = 200;

/**
 * Slack through `@slack/web-api`, with the client's own retries off: `chat.postMessage` has no idempotency key,
 * so a blind retry after a timeout can post twice. Retries belong to the outbox, which asks `findDelivered` first.
 */
export function createSlackChannel(options: SlackChannelOptions): Channel {
  const client = slackClient(options.token, options.apiUrl, options.timeoutMs ?? 10_000);

  const call = async (method: string, args: Record<string, unknown>): Promise<Record<string, unknown>> => {
    try {
      const answer: Record<string, unknown> = { ...(await client.apiCall(method, args)) };
      return answer;
    } catch (error) {
      throw slackDeliveryError(method, error);
    }
  };
  const metadata = (n: Notification) => ({ event_type: slackEventType, event_payload: { id: n.id } });
  const post = (n: Notification, message: SlackMessage, threadTs?: string) =>
    call('chat.postMessage', {
      channel: options.channel,
      text: message.text,
      blocks: message.blocks,
      unfurl_links: false,
      metadata: metadata(n),
      ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
    });

  // An escalation note links to its page. Without a permalink (the bot cannot see the page's channel, or Slack
  // is slow) the note still names the channel: the link is not worth failing the note for.
  const withPermalink = async (n: Notification): Promise<Notification> => {
    const page = n.escalation?.page?.slack;
    if (!n.escalation || !page) return n;
    const answer = await call('chat.getPermalink', { channel: page.channel, message_ts: page.ts }).catch(() => undefined);
    const permalink = answer?.['permalink'];
    if (typeof permalink !== 'string') return n;
    return { ...n, escalation: { ...n.escalation, page: { ...n.escalation.page, slack: { ...page, permalink } } } };
  };

  return {
    kind: 'slack',

    async deliver(notification, thread) {
      const original = thread?.slack;
      const n = await withPermalink(notification);
      const rendering = options.render(n, original !== undefined);
      if (!original) {
        const answer = await post(n, rendering.message);
        return receipt(answer, options.channel);
      }
      await call('chat.update', { channel: original.channel, ts: original.ts, text: rendering.message.text, blocks: rendering.message.blocks });
      if (rendering.reply) await post(n, rendering.reply, original.ts);
      return { slack: { channel: original.channel, ts: original.ts } };
    },

    async findDelivered(n, thread) {
      const original = thread?.slack;
      const oldest = Math.max(0, n.createdAt - lookbackSeconds).toFixed(6);
      const query = original
        ? { method: 'conversations.replies', args: { channel: original.channel, ts: original.ts, oldest, include_all_metadata: true, limit: pageSize } }
        : { method: 'conversations.history', args: { channel: options.channel, oldest, include_all_metadata: true, limit: pageSize } };
      let cursor: string | undefined;
      do {
        const answer = await call(query.method, cursor === undefined ? query.args : { ...query.args, cursor });
        const messages = Array.isArray(answer['messages']) ? (answer['messages'] as Array<Record<string, unknown>>) : [];
        const found = messages.find((m) => carriesId(m, n.id) && (!original || m['ts'] !== original.ts));
        if (found) return original ? { slack: { channel: original.channel, ts: original.ts } } : { slack: { channel: options.channel, ts: String(found['ts']) } };
        const next = (answer['response_metadata'] as { next_cursor?: unknown } | undefined)?.next_cursor;
        cursor = answer['has_more'] === true && typeof next === 'string' && next !== '' ? next : undefined;
      } while (cursor !== undefined);
      return undefined;
    },

    // Updates and resolves join the incident's first message: the thread stays where it began.
    nextThread: (previous, receipt) => (receipt.slack && !previous?.slack ? { ...previous, slack: receipt.slack } : { ...previous }),

    close: () => Promise.resolve(),
  };
}

function carriesId(message: Record<string, unknown>, id: string): boolean {
  const metadata = message['metadata'] as { event_type?: unknown; event_payload?: { id?: unknown } } | undefined;
  return metadata?.event_type === slackEventType && metadata.event_payload?.id === id;
}

function receipt(answer: Record<string, unknown>, fallbackChannel: string): DeliveryReceipt {
  const ts = answer['ts'];
  if (typeof ts !== 'string') throw new DeliveryError('server_error', 'Slack chat.postMessage answered ok without a ts');
  const channel = typeof answer['channel'] === 'string' ? answer['channel'] : fallbackChannel;
  return { slack: { channel, ts } };
}
