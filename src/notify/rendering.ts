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

/** A Teams Workflows webhook post: one Adaptive Card in a message envelope. */
export interface TeamsMessage {
  type: 'message';
  attachments: Array<{ contentType: 'application/vnd.microsoft.card.adaptive'; contentUrl: null; content: Record<string, unknown> }>;
}

/** The page a later card of the same incident names (the first card of the incident). */
export interface TeamsPageRef {
  /** The page's notification id: the incident id. */
  incident: string;
  title: string;
  /** When the page's alerts fired (unix seconds), null when unknown. */
  firedAt: number | null;
}

export interface TeamsRendering {
  message: TeamsMessage;
  /** UTF-8 bytes of `JSON.stringify(message)`: what Teams measures against its 28 KB limit. */
  bytes: number;
  /** What a later card says of this one when it is the incident's first. */
  page: Omit<TeamsPageRef, 'incident'>;
}

/** `page`: the incident's first card, for every later card of it (a resolve names the page it resolves). */
export type RenderTeams = (notification: Notification, page: TeamsPageRef | null) => TeamsRendering;
