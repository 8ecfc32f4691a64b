import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback HTTP server speaking Slack's Web API wire format, for the methods burnrate calls:
 * `chat.postMessage`, `chat.update`, `chat.getPermalink`, `conversations.history`, `conversations.replies` and
 * `auth.test`.
 *
 * What it does like Slack:
 * - accepts `application/x-www-form-urlencoded` bodies (nested values such as `blocks` and `metadata` as JSON
 *   strings, booleans as `true`/`false`), `application/json` bodies and query strings;
 * - checks the bearer token (`Authorization: Bearer …` or a `token` argument): none → `not_authed`, wrong →
 *   `invalid_auth`;
 * - answers HTTP 200 with `{ ok: true, … }` or `{ ok: false, error }`; `ts` values are unique, increasing and
 *   shaped like `1700000000.000100`, taken from `now()` (unix seconds, wall clock by default);
 * - validates Block Kit limits: more than 50 blocks, a section text over 3000 characters, more than 10 section
 *   fields or a field over 2000 characters, a header over 150 characters, unknown block types or duplicate
 *   `block_id`s → `invalid_blocks` (with a `response_metadata.messages` line naming the JSON pointer); neither
 *   `text` nor `blocks` → `no_text`; `text` over 40000 characters → `msg_too_long`;
 * - a `thread_ts` naming no message of the channel → `thread_not_found` (stricter than Slack, to catch replies
 *   threaded onto the wrong ts);
 * - `chat.update` of an unknown ts → `message_not_found`; keeps the metadata of the original unless the update
 *   sends its own;
 * - `conversations.history` lists top-level messages newest first, `conversations.replies` a thread's parent then
 *   its replies oldest first; both honour `oldest`/`latest` (exclusive unless `inclusive`), `limit` and `cursor`,
 *   and include `metadata` only with `include_all_metadata`.
 *
 * Failure injection (`failNext`) consumes one scripted failure per call of the named method, in order:
 * - `{ status: 429, retryAfter }`: HTTP 429 with `Retry-After`, nothing stored;
 * - `{ status: 500 | 502 | 503 }`: that status with an HTML body, nothing stored;
 * - `{ ok: false, error }`: HTTP 200 with that error, nothing stored;
 * - `{ delayMs }`: the call takes effect at once but the answer comes `delayMs` later, like a Slack that posted
 *   the message while the client gave up waiting (the double-post hazard);
 * - `{ dropConnection: true }`: the socket is destroyed without an answer, nothing stored.
 * Every request, failed or not, is recorded in `calls`.
 */
export interface FakeSlack {
  /** The `slackApiUrl` to give `WebClient`: ends with `/api/`. */
  url: string;
  token: string;
  messages: StoredMessage[];
  calls: FakeSlackCall[];
  failNext(method: SlackMethod, failure: FakeSlackFailure): void;
  /** Messages of a channel that are not thread replies, oldest first. */
  topLevel(channel: string): StoredMessage[];
  /** Replies in the thread of `ts`, oldest first. */
  replies(channel: string, ts: string): StoredMessage[];
  close(): Promise<void>;
}

export const slackMethods = ['chat.postMessage', 'chat.update', 'chat.getPermalink', 'conversations.history', 'conversations.replies', 'auth.test'] as const;

/** The permalink the fake gives a message, shaped like Slack's: the ts without its dot. */
export const fakePermalink = (channel: string, ts: string): string => `https://burnrate-test.slack.com/archives/${channel}/p${ts.replace('.', '')}`;
export type SlackMethod = (typeof slackMethods)[number];

export type FakeSlackFailure =
  | { status: 429; retryAfter: number }
  | { status: 500 | 502 | 503 }
  | { ok: false; error: string }
  | { delayMs: number }
  | { dropConnection: true };

export interface SlackMetadata {
  event_type: string;
  event_payload: Record<string, unknown>;
}

export interface StoredMessage {
  channel: string;
  ts: string;
  text?: string;
  blocks?: Array<Record<string, unknown>>;
  thread_ts?: string;
  metadata?: SlackMetadata;
  unfurl_links?: boolean;
  /** Versions replaced by `chat.update`, oldest first. */
  history: Array<{ text?: string; blocks?: Array<Record<string, unknown>> }>;
}

export interface FakeSlackCall {
  method: string;
  /** The arguments as Slack reads them: JSON strings of form bodies parsed, booleans as sent. */
  body: Record<string, unknown>;
}

export interface FakeSlackOptions {
  /** The bot token the server accepts. Default `xoxb-burnrate-test`. */
  token?: string;
  /** Channels that exist; others answer `channel_not_found`. Default: every channel exists. */
  channels?: string[];
  /** Unix seconds for new `ts` values. Default: the wall clock. */
  now?: () => number;
}

type Answer = Record<string, unknown>;
class SlackFailure extends Error {
  constructor(
    readonly error: string,
    readonly detail?: string,
  ) {
    super(error);
  }
}

const BOT = { user: 'U0BURNRATE', bot_id: 'B0BURNRATE', app_id: 'A0BURNRATE' } as const;
const limits = { blocks: 50, sectionText: 3000, sectionFields: 10, fieldText: 2000, headerText: 150, text: 40_000 } as const;
const blockTypes = new Set(['section', 'header', 'divider', 'context', 'actions', 'image', 'rich_text', 'input', 'file', 'video', 'markdown']);

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const token = options.token ?? 'xoxb-burnrate-test';
  const now = options.now ?? (() => Date.now() / 1000);
  const known = options.channels ? new Set(options.channels) : undefined;
  const messages: StoredMessage[] = [];
  const calls: FakeSlackCall[] = [];
  const failures = new Map<string, FakeSlackFailure[]>();
  const timers = new Set<NodeJS.Timeout>();
  let lastMicros = 0;

  const nextTs = (): string => {
    lastMicros = Math.max(lastMicros + 100, Math.floor(now() * 1e6));
    return formatTs(lastMicros);
  };
  const requireChannel = (body: Record<string, unknown>): string => {
    const channel = body['channel'];
    if (typeof channel !== 'string' || channel === '') throw new SlackFailure('channel_not_found');
    if (known && !known.has(channel)) throw new SlackFailure('channel_not_found');
    return channel;
  };
  const find = (channel: string, ts: unknown): StoredMessage | undefined =>
    messages.find((m) => m.channel === channel && m.ts === ts);

  const handlers: Record<SlackMethod, (body: Record<string, unknown>) => Answer> = {
    'auth.test': () => ({ url: 'https://burnrate-test.slack.com/', team: 'burnrate', user: 'burnrate', team_id: 'T0BURNRATE', user_id: BOT.user, bot_id: BOT.bot_id }),

    'chat.postMessage': (body) => {
      const channel = requireChannel(body);
      const content = messageContent(body);
      const threadTs = optionalString(body, 'thread_ts');
      if (threadTs !== undefined && !find(channel, threadTs)) throw new SlackFailure('thread_not_found');
      const message: StoredMessage = { channel, ts: nextTs(), ...content, history: [] };
      if (threadTs !== undefined) message.thread_ts = threadTs;
      const metadata = parseMetadata(body['metadata']);
      if (metadata) message.metadata = metadata;
      const unfurl = optionalBoolean(body, 'unfurl_links');
      if (unfurl !== undefined) message.unfurl_links = unfurl;
      messages.push(message);
      return { channel, ts: message.ts, message: wireMessage(message, true) };
    },

    'chat.update': (body) => {
      const channel = requireChannel(body);
      const message = find(channel, body['ts']);
      if (!message) throw new SlackFailure('message_not_found');
      const content = messageContent(body);
      const previous: StoredMessage['history'][number] = {};
      if (message.text !== undefined) previous.text = message.text;
      if (message.blocks !== undefined) previous.blocks = message.blocks;
      message.history.push(previous);
      delete message.text;
      delete message.blocks;
      Object.assign(message, content);
      const metadata = parseMetadata(body['metadata']);
      if (metadata) message.metadata = metadata;
      return { channel, ts: message.ts, text: message.text ?? '', message: wireMessage(message, true) };
    },

    'chat.getPermalink': (body) => {
      const channel = requireChannel(body);
      const message = find(channel, body['message_ts']);
      if (!message) throw new SlackFailure('message_not_found');
      return { channel, permalink: fakePermalink(channel, message.ts) };
    },

    'conversations.history': (body) => {
      const channel = requireChannel(body);
      const listed = messages.filter((m) => m.channel === channel && (m.thread_ts === undefined || m.thread_ts === m.ts)).reverse();
      return page(listed, body, (m) => wireMessage(m, isTrue(body['include_all_metadata']), messages));
    },

    'conversations.replies': (body) => {
      const channel = requireChannel(body);
      const parent = find(channel, body['ts']);
      if (!parent) throw new SlackFailure('thread_not_found');
      const thread = [parent, ...messages.filter((m) => m.channel === channel && m.thread_ts === parent.ts)];
      return page(thread, body, (m) => wireMessage(m, isTrue(body['include_all_metadata']), messages));
    },
  };

  const server = createServer((request, response) => {
    readBody(request)
      .then((body) => {
        const method = (request.url ?? '').split('?')[0]!.replace(/^\/api\//, '');
        calls.push({ method, body });
        const failure = failures.get(method)?.shift();
        if (failure && 'dropConnection' in failure) {
          request.socket.destroy();
          return;
        }
        if (failure && 'status' in failure) {
          if (failure.status === 429) {
            send(response, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(failure.retryAfter) });
          } else {
            response.writeHead(failure.status, { 'content-type': 'text/html' }).end('<html><body>Server error</body></html>');
          }
          return;
        }
        if (failure && 'ok' in failure) {
          send(response, 200, { ok: false, error: failure.error });
          return;
        }
        const answer = answerCall(method, body, request);
        if (failure && 'delayMs' in failure) {
          const timer = setTimeout(() => {
            timers.delete(timer);
            if (!response.destroyed) send(response, 200, answer);
          }, failure.delayMs);
          timers.add(timer);
          return;
        }
        send(response, 200, answer);
      })
      .catch((error: unknown) => send(response, 400, { ok: false, error: 'invalid_request', detail: String(error) }));
  });

  const answerCall = (method: string, body: Record<string, unknown>, request: IncomingMessage): Answer => {
    const sent = bearer(request) ?? (typeof body['token'] === 'string' ? body['token'] : undefined);
    if (sent === undefined || sent === '') return { ok: false, error: 'not_authed' };
    if (sent !== token) return { ok: false, error: 'invalid_auth' };
    const handler = (handlers as Record<string, ((body: Record<string, unknown>) => Answer) | undefined>)[method];
    if (!handler) return { ok: false, error: 'unknown_method', req_method: method };
    try {
      return { ok: true, ...handler(body) };
    } catch (error) {
      if (!(error instanceof SlackFailure)) throw error;
      const answer: Answer = { ok: false, error: error.error };
      if (error.detail) answer['response_metadata'] = { messages: [`[ERROR] ${error.detail}`] };
      return answer;
    }
  };

  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/`,
    token,
    messages,
    calls,
    failNext(method, failure) {
      const queue = failures.get(method) ?? [];
      queue.push(failure);
      failures.set(method, queue);
    },
    topLevel: (channel) => messages.filter((m) => m.channel === channel && m.thread_ts === undefined),
    replies: (channel, ts) => messages.filter((m) => m.channel === channel && m.thread_ts === ts),
    close: () =>
      new Promise<void>((ok) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

function send(response: ServerResponse, status: number, body: Answer, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
}

function bearer(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
  return match?.[1];
}

async function readBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  let raw = '';
  request.setEncoding('utf8');
  for await (const chunk of request) raw += chunk as string;
  const query = Object.fromEntries(new URLSearchParams((request.url ?? '').split('?')[1] ?? ''));
  const type = request.headers['content-type'] ?? '';
  if (type.startsWith('application/json')) {
    const parsed: unknown = raw === '' ? {} : JSON.parse(raw);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('JSON body is not an object');
    return { ...query, ...(parsed as Record<string, unknown>) };
  }
  return { ...query, ...Object.fromEntries(new URLSearchParams(raw)) };
}

/** Text and blocks of a post or update, validated like Slack does. */
function messageContent(body: Record<string, unknown>): { text?: string; blocks?: Array<Record<string, unknown>> } {
  const text = optionalString(body, 'text');
  const blocks = parseBlocks(body['blocks']);
  if ((text === undefined || text === '') && (blocks === undefined || blocks.length === 0)) throw new SlackFailure('no_text');
  if (text !== undefined && text.length > limits.text) throw new SlackFailure('msg_too_long');
  const content: { text?: string; blocks?: Array<Record<string, unknown>> } = {};
  if (text !== undefined) content.text = text;
  if (blocks !== undefined) content.blocks = blocks;
  return content;
}

function parseBlocks(value: unknown): Array<Record<string, unknown>> | undefined {
  if (value === undefined || value === '') return undefined;
  let blocks: unknown = value;
  if (typeof value === 'string') {
    try {
      blocks = JSON.parse(value);
    } catch {
      throw new SlackFailure('invalid_blocks_format');
    }
  }
  if (!Array.isArray(blocks)) throw new SlackFailure('invalid_blocks_format');
  validateBlocks(blocks);
  return blocks as Array<Record<string, unknown>>;
}

function validateBlocks(blocks: unknown[]): void {
  const invalid = (pointer: string, why: string): never => {
    throw new SlackFailure('invalid_blocks', `${why} [json-pointer:${pointer}]`);
  };
  if (blocks.length > limits.blocks) invalid('/blocks', `no more than ${limits.blocks} items allowed`);
  const ids = new Set<string>();
  blocks.forEach((block, index) => {
    const at = `/blocks/${index}`;
    if (block === null || typeof block !== 'object') return invalid(at, 'must be an object');
    const b = block as Record<string, unknown>;
    if (typeof b['type'] !== 'string' || !blockTypes.has(b['type'])) invalid(`${at}/type`, 'unsupported type');
    const id = b['block_id'];
    if (typeof id === 'string') {
      if (ids.has(id)) invalid(`${at}/block_id`, 'duplicate block_id');
      ids.add(id);
    }
    if (b['type'] === 'section') {
      const text = textOf(b['text']);
      const fields = b['fields'];
      if (text === undefined && !Array.isArray(fields)) invalid(at, 'must provide text or fields');
      if (text !== undefined && text.length > limits.sectionText) invalid(`${at}/text/text`, `must be less than ${limits.sectionText + 1} characters`);
      if (Array.isArray(fields)) {
        if (fields.length > limits.sectionFields) invalid(`${at}/fields`, `no more than ${limits.sectionFields} items allowed`);
        fields.forEach((field, f) => {
          const fieldText = textOf(field);
          if (fieldText === undefined) invalid(`${at}/fields/${f}`, 'must be a text object');
          else if (fieldText.length > limits.fieldText) invalid(`${at}/fields/${f}/text`, `must be less than ${limits.fieldText + 1} characters`);
        });
      }
    }
    if (b['type'] === 'header') {
      const text = textOf(b['text']);
      if (text === undefined) invalid(`${at}/text`, 'must be a plain_text object');
      else if (text.length > limits.headerText) invalid(`${at}/text/text`, `must be less than ${limits.headerText + 1} characters`);
    }
  });
}

function textOf(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const { type, text } = value as Record<string, unknown>;
  if ((type !== 'mrkdwn' && type !== 'plain_text') || typeof text !== 'string') return undefined;
  return text;
}

function parseMetadata(value: unknown): SlackMetadata | undefined {
  if (value === undefined || value === '') return undefined;
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new SlackFailure('invalid_metadata_format');
    }
  }
  const m = parsed as Partial<SlackMetadata> | null;
  if (m === null || typeof m !== 'object' || typeof m.event_type !== 'string' || m.event_payload === null || typeof m.event_payload !== 'object') {
    throw new SlackFailure('invalid_metadata_schema');
  }
  return { event_type: m.event_type, event_payload: m.event_payload };
}

function wireMessage(m: StoredMessage, withMetadata: boolean, all?: StoredMessage[]): Answer {
  const wire: Answer = { type: 'message', subtype: 'bot_message', ...BOT, ts: m.ts, text: m.text ?? '' };
  if (m.blocks) wire['blocks'] = m.blocks;
  if (m.thread_ts !== undefined) wire['thread_ts'] = m.thread_ts;
  if (m.history.length > 0) wire['edited'] = { user: BOT.user, ts: m.ts };
  if (withMetadata && m.metadata) wire['metadata'] = m.metadata;
  if (all && m.thread_ts === undefined) {
    const replies = all.filter((r) => r.channel === m.channel && r.thread_ts === m.ts);
    if (replies.length > 0) Object.assign(wire, { thread_ts: m.ts, reply_count: replies.length, latest_reply: replies.at(-1)!.ts });
  }
  return wire;
}

/** `oldest`/`latest`/`inclusive` filtering, then `limit`/`cursor` paging, as Slack's list methods do. */
function page(list: StoredMessage[], body: Record<string, unknown>, wire: (m: StoredMessage) => Answer): Answer {
  const oldest = body['oldest'] === undefined ? undefined : parseTsMicros(String(body['oldest']));
  const latest = body['latest'] === undefined ? undefined : parseTsMicros(String(body['latest']));
  const inclusive = isTrue(body['inclusive']);
  const inRange = list.filter((m) => {
    const at = parseTsMicros(m.ts);
    if (oldest !== undefined && (inclusive ? at < oldest : at <= oldest)) return false;
    if (latest !== undefined && (inclusive ? at > latest : at >= latest)) return false;
    return true;
  });
  const limit = Math.min(Math.max(Number(body['limit'] ?? 100) || 100, 1), 999);
  const cursor = typeof body['cursor'] === 'string' && body['cursor'] !== '' ? Number(Buffer.from(body['cursor'], 'base64').toString('utf8').replace(/^offset:/, '')) : 0;
  if (!Number.isInteger(cursor) || cursor < 0) throw new SlackFailure('invalid_cursor');
  const slice = inRange.slice(cursor, cursor + limit);
  const more = cursor + limit < inRange.length;
  return {
    messages: slice.map(wire),
    has_more: more,
    response_metadata: { next_cursor: more ? Buffer.from(`offset:${cursor + limit}`).toString('base64') : '' },
  };
}

function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  return String(value);
}

function optionalBoolean(body: Record<string, unknown>, key: string): boolean | undefined {
  return body[key] === undefined ? undefined : isTrue(body[key]);
}

function isTrue(value: unknown): boolean {
  return value === true || value === 'true' || value === '1' || value === 1;
}

export function formatTs(micros: number): string {
  return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
}

/** A Slack ts (or any decimal seconds) as integer microseconds: exact, unlike a float of 16 digits. */
export function parseTsMicros(ts: string): number {
  const [seconds = '0', fraction = ''] = ts.split('.');
  return Number(seconds) * 1e6 + Number(fraction.padEnd(6, '0').slice(0, 6));
}
