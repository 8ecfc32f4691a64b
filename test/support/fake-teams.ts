import { createServer } from 'node:http';
import { restartable } from './restartable-server.js';

/**
 * A loopback stand-in for Teams Workflows webhooks (any path is one webhook URL). It does what Teams does to a
 * post:
 * - refuses a body over 28 KB (UTF-8 bytes, 28 × 1024) with 413, before reading it as a card;
 * - answers 400 to a body that is not `{type: "message", attachments: [{contentType:
 *   "application/vnd.microsoft.card.adaptive", content: {type: "AdaptiveCard", version, body, actions}}]}` with
 *   only elements and actions it knows (TextBlock, FactSet, Container, ColumnSet, Column, Image, ActionSet;
 *   Action.OpenUrl with an http(s) url), saying why in `refused`;
 * - answers 202 and posts the card (`cards`, per path in `cardsAt`).
 *
 * Failure injection (`failNext`) consumes one scripted failure per valid request, in order:
 * - `{ status: 429, retryAfter }`: 429 with `Retry-After`, nothing posted;
 * - `{ status: 400 | 404 | 413 | 500 | 502 | 503 }`: that status, nothing posted;
 * - `{ delayMs }`: the card is posted at once but the answer comes `delayMs` later (the sender may give up
 *   waiting: Teams has no idempotency key, so its resend is a second card, `duplicates` counts them);
 * - `{ dropConnection: true }`: the socket is destroyed without an answer, nothing posted.
 * `stop()` closes the port (connection refused) and `start()` listens on the same port again. Every request, with
 * its arrival time (wall clock, ms) and path, is in `requests`.
 */
export interface FakeTeams {
  /** The first webhook URL; `urlFor(name)` gives others on the same server. */
  url: string;
  urlFor(name: string): string;
  cards: TeamsCard[];
  requests: TeamsRequest[];
  /** Cards whose notification id (in the card's footer) had been posted before. */
  duplicates: TeamsCard[];
  failNext(failure: FakeTeamsFailure): void;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export type FakeTeamsFailure = { status: 429; retryAfter: number | string } | { status: 400 | 404 | 413 | 500 | 502 | 503 } | { delayMs: number } | { dropConnection: true };

export interface TeamsRequest {
  path: string;
  /** Wall clock, milliseconds (`performance.timeOrigin + performance.now()`). */
  at: number;
  bytes: number;
  body: string;
  /** What the fake answered (0 for a dropped connection). */
  status: number;
  refused?: string;
}

export interface TeamsCard {
  path: string;
  bytes: number;
  /** The Adaptive Card (the attachment's `content`). */
  content: AdaptiveCard;
  /** Every text of the card (TextBlocks, facts as `title: value`, action titles and urls), in order. */
  texts: string[];
  /** The id the card's footer names (`id ntf-…`), if any. */
  notificationId: string | undefined;
}

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  version: string;
  body: Array<Record<string, unknown>>;
  actions?: Array<{ type: string; title: string; url: string }>;
  [key: string]: unknown;
}

export const teamsMessageLimit = 28 * 1024;
const knownElements = new Set(['TextBlock', 'FactSet', 'Container', 'ColumnSet', 'Column', 'Image', 'ActionSet']);
const knownVersions = new Set(['1.0', '1.1', '1.2', '1.3', '1.4', '1.5']);

export async function startFakeTeams(): Promise<FakeTeams> {
  const cards: TeamsCard[] = [];
  const requests: TeamsRequest[] = [];
  const duplicates: TeamsCard[] = [];
  const failures: FakeTeamsFailure[] = [];
  const seenIds = new Set<string>();

  const server = restartable(
    createServer((request, response) => {
    const at = performance.timeOrigin + performance.now();
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = raw.toString('utf8');
      const path = (request.url ?? '/').split('?')[0] ?? '/';
      const record: TeamsRequest = { path, at, bytes: raw.length, body, status: 0 };
      requests.push(record);
      const answer = (status: number, text: string, headers: Record<string, string> = {}, refused?: string) => {
        record.status = status;
        if (refused !== undefined) record.refused = refused;
        response.writeHead(status, { 'content-type': 'text/plain', ...headers }).end(text);
      };
      if (request.method !== 'POST') return answer(405, 'method not allowed');
      if (raw.length > teamsMessageLimit) return answer(413, 'Request Entity Too Large', {}, `body of ${raw.length} bytes is over ${teamsMessageLimit}`);
      let content: AdaptiveCard;
      try {
        content = cardOf(JSON.parse(body));
      } catch (error) {
        return answer(400, 'Bad Request', {}, (error as Error).message);
      }
      const failure = failures.shift();
      if (failure && 'dropConnection' in failure) {
        request.socket.destroy();
        return;
      }
      if (failure && 'status' in failure) {
        return failure.status === 429 ? answer(429, 'Too Many Requests', { 'retry-after': String(failure.retryAfter) }) : answer(failure.status, 'failure');
      }
      const texts = textsOf(content);
      const notificationId = texts.map((t) => / · id (\S+)$/.exec(t)?.[1]).find((id) => id !== undefined);
      const card: TeamsCard = { path, bytes: raw.length, content, texts, notificationId };
      if (notificationId !== undefined && seenIds.has(notificationId)) duplicates.push(card);
      if (notificationId !== undefined) seenIds.add(notificationId);
      cards.push(card);
      if (failure && 'delayMs' in failure) {
        server.later(failure.delayMs, () => {
          if (!response.destroyed) answer(202, '');
        });
        return;
      }
      answer(202, '');
    });
  }),
  );
  const { listen, stop, port } = server;
  await listen();
  const urlFor = (name: string) => `http://127.0.0.1:${port()}/workflows/${name}/triggers/manual/paths/invoke?api-version=1&sig=test-${name}`;
  return { url: urlFor('payments'), urlFor, cards, requests, duplicates, failNext: (failure) => void failures.push(failure), stop, start: listen, close: stop };
}

/** The Adaptive Card of a Workflows post, or an Error saying what is wrong with its shape. */
function cardOf(message: unknown): AdaptiveCard {
  const m = message as { type?: unknown; attachments?: unknown };
  if (m?.type !== 'message') throw new Error(`type is ${JSON.stringify(m?.type)}, not "message"`);
  if (!Array.isArray(m.attachments) || m.attachments.length !== 1) throw new Error('expected exactly one attachment');
  const attachment = m.attachments[0] as { contentType?: unknown; content?: unknown };
  if (attachment.contentType !== 'application/vnd.microsoft.card.adaptive') throw new Error(`contentType ${JSON.stringify(attachment.contentType)}`);
  const card = attachment.content as Partial<AdaptiveCard> | undefined;
  if (card?.type !== 'AdaptiveCard') throw new Error('content.type is not AdaptiveCard');
  if (typeof card.version !== 'string' || !knownVersions.has(card.version)) throw new Error(`unknown version ${JSON.stringify(card.version)}`);
  if (!Array.isArray(card.body) || card.body.length === 0) throw new Error('content.body is empty');
  card.body.forEach((element, index) => checkElement(element, `body[${index}]`));
  for (const [index, action] of (card.actions ?? []).entries()) checkAction(action, `actions[${index}]`);
  return card as AdaptiveCard;
}

function checkElement(element: Record<string, unknown>, at: string): void {
  const type = element['type'];
  if (typeof type !== 'string' || !knownElements.has(type)) throw new Error(`${at}: unknown element ${JSON.stringify(type)}`);
  if (type === 'TextBlock' && (typeof element['text'] !== 'string' || element['text'] === '')) throw new Error(`${at}: TextBlock without text`);
  if (type === 'FactSet') {
    const facts = element['facts'];
    if (!Array.isArray(facts) || facts.length === 0) throw new Error(`${at}: FactSet without facts`);
    for (const fact of facts as Array<Record<string, unknown>>) if (typeof fact['title'] !== 'string' || typeof fact['value'] !== 'string') throw new Error(`${at}: a fact needs title and value strings`);
  }
  if (type === 'Container' || type === 'Column') {
    const items = element['items'];
    if (!Array.isArray(items)) throw new Error(`${at}: ${type} without items`);
    (items as Array<Record<string, unknown>>).forEach((item, index) => checkElement(item, `${at}.items[${index}]`));
  }
  if (type === 'ColumnSet') ((element['columns'] ?? []) as Array<Record<string, unknown>>).forEach((column, index) => checkElement({ type: 'Column', ...column }, `${at}.columns[${index}]`));
  if (type === 'ActionSet') ((element['actions'] ?? []) as Array<{ type: string; title: string; url: string }>).forEach((action, index) => checkAction(action, `${at}.actions[${index}]`));
}

function checkAction(action: { type?: unknown; title?: unknown; url?: unknown }, at: string): void {
  if (action.type !== 'Action.OpenUrl') throw new Error(`${at}: unknown action ${JSON.stringify(action.type)}`);
  if (typeof action.title !== 'string' || typeof action.url !== 'string' || !/^https?:\/\//.test(action.url)) throw new Error(`${at}: Action.OpenUrl needs a title and an http(s) url`);
}

function textsOf(card: AdaptiveCard): string[] {
  const texts: string[] = [];
  const walk = (element: Record<string, unknown>) => {
    if (typeof element['text'] === 'string') texts.push(element['text']);
    for (const fact of (element['facts'] ?? []) as Array<{ title: string; value: string }>) texts.push(`${fact.title}: ${fact.value}`);
    for (const child of [...((element['items'] ?? []) as Array<Record<string, unknown>>), ...((element['columns'] ?? []) as Array<Record<string, unknown>>)]) walk(child);
  };
  card.body.forEach(walk);
  for (const action of card.actions ?? []) texts.push(`${action.title}: ${action.url}`);
  return texts;
}
