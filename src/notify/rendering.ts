import type { Notification } from './notification.js';

/** A Slack message body: Block Kit blocks plus the top-level `text` fallback (notifications, screen readers). */
export interface SlackMessage {
  text: string;
  blocks: Array<Record<string, unknown>>;
}

/**
 * - first message of an incident: `message` is posted, `reply` is null;
 * - later notifications of the same incident (new alerts, repeat, resolve): `message` replaces the original
 *   with `chat.update`, and `reply` is posted in its thread saying what changed.
 */
export interface SlackRendering {
  message: SlackMessage;
  reply: SlackMessage | null;
}

export type RenderSlack = (notification: Notification, threaded: boolean) => SlackRendering;

/** A multipart email: plain text and HTML alternatives. */
export interface EmailRendering {
  subject: string;
  text: string;
  html: string;
}

export type RenderEmail = (notification: Notification, isReply: boolean) => EmailRendering;
