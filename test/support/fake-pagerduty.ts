import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback server speaking PagerDuty's Events API v2 (`POST /v2/enqueue`, `POST /v2/change/enqueue`).
 *
 * What it does like PagerDuty:
 * - accepts JSON bodies only; an event over 512 KB → 413 (PagerDuty refuses it);
 * - `routing_key` must be one of the known keys (32 characters, as PagerDuty's are) → else 400 "Invalid routing key";
 * - `event_action` trigger/acknowledge/resolve; `dedup_key` ≤ 255; a trigger needs `payload.summary` (≤ 1024),
 *   `payload.source` and `payload.severity` (critical/error/warning/info); `links[]` need `href`; → else 400
 *   `{status: 'invalid event', message: 'Event object is invalid', errors: […]}`;
 * - answers 202 `{status: 'success', message: 'Event processed', dedup_key}` (a generated key when none was sent);
 * - folds triggers into alerts by `dedup_key`: an open alert takes a repeated trigger as a duplicate, a resolve
 *   resolves it, and once resolved the same key opens a new alert (as PagerDuty does).
 *
 * Failure injection (`failNext`) consumes one scripted failure per request, in order:
 * - `{ status: 429, retryAfter? }` / `{ status: 500 | 502 | 503 }`: that answer, nothing stored;
 * - `{ delayMs }`: the event takes effect at once, its answer comes `delayMs` later (the client may give up);
 * - `{ dropConnection: true }`: the socket is destroyed without an answer, nothing stored.
 * `down()` / `up()` stop and restart listening on the same port (the receiver unreachable).
 */
export interface FakePagerDuty {
  url: string;
  routingKey: string;
  /** Every request, failed or not, with its parsed body (undefined when it was not JSON). */
  requests: Array<{ path: string; body: Record<string, unknown> | undefined; status: number }>;
  /** Accepted events, in arrival order. */
  events: PagerDutyWireEvent[];
  alerts: FakeAlert[];
  changeEvents: Array<Record<string, unknown>>;
  failNext(failure: FakePagerDutyFailure): void;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export type FakePagerDutyFailure = { status: 429; retryAfter?: number } | { status: 500 | 502 | 503 } | { delayMs: number } | { dropConnection: true };

export interface PagerDutyWireEvent {
  routing_key: string;
  event_action: 'trigger' | 'acknowledge' | 'resolve';
  dedup_key?: string;
  payload?: { summary: string; source: string; severity: string; custom_details?: Record<string, unknown>; [key: string]: unknown };
  links?: Array<{ href: string; text?: string }>;
  [key: string]: unknown;
}

export interface FakeAlert {
  dedupKey: string;
  status: 'triggered' | 'resolved';
  /** Triggers folded into it (the first included). */
  triggers: number;
  /** The first trigger's event. */
  first: PagerDutyWireEvent;
}

export const pagerDutyEventLimit = 512 * 1024;
const severities = new Set(['critical', 'error', 'warning', 'info']);
const actions = new Set(['trigger', 'acknowledge', 'resolve']);

export async function startFakePagerDuty(options: { routingKey?: string } = {}): Promise<FakePagerDuty> {
  const routingKey = options.routingKey ?? 'R0UT1NGKEYBURNRATETEST0000000001';
  const requests: FakePagerDuty['requests'] = [];
  const events: PagerDutyWireEvent[] = [];
  const alerts: FakeAlert[] = [];
  const changeEvents: Array<Record<string, unknown>> = [];
  const failures: FakePagerDutyFailure[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let generated = 0;

  const enqueue = (event: PagerDutyWireEvent): string => {
    const dedupKey = event.dedup_key ?? `generated-${++generated}`;
    events.push(event);
    const open = alerts.find((a) => a.dedupKey === dedupKey && a.status === 'triggered');
    if (event.event_action === 'trigger') {
      if (open) open.triggers += 1;
      else alerts.push({ dedupKey, status: 'triggered', triggers: 1, first: event });
    } else if (event.event_action === 'resolve' && open) {
      open.status = 'resolved';
    }
    return dedupKey;
  };

  const server = createServer((request, response) => {
    readBody(request)
      .then((raw) => {
        const path = (request.url ?? '').split('?')[0]!;
        const record = (status: number, body: Record<string, unknown> | undefined) => requests.push({ path, body, status });
        const send = (status: number, answer: Record<string, unknown>, headers: Record<string, string> = {}) => {
          response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(answer));
        };
        let body: Record<string, unknown> | undefined;
        try {
          const parsed = JSON.parse(raw) as unknown;
          body = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
        } catch {
          body = undefined;
        }
        const failure = failures.shift();
        if (failure && 'dropConnection' in failure) {
          record(0, body);
          request.socket.destroy();
          return;
        }
        if (failure && 'status' in failure) {
          record(failure.status, body);
          if (failure.status === 429) send(429, { status: 'throttle event', message: 'Requests for this service are arriving too quickly.' }, failure.retryAfter === undefined ? {} : { 'retry-after': String(failure.retryAfter) });
          else response.writeHead(failure.status, { 'content-type': 'text/html' }).end('<html><body>Server error</body></html>');
          return;
        }
        if (path !== '/v2/enqueue' && path !== '/v2/change/enqueue') {
          record(404, body);
          send(404, { status: 'not found' });
          return;
        }
        if (Buffer.byteLength(raw) > pagerDutyEventLimit) {
          record(413, body);
          send(413, { status: 'invalid event', message: 'Request entity too large' });
          return;
        }
        if ((request.headers['content-type'] ?? '').split(';')[0] !== 'application/json' || body === undefined) {
          record(400, body);
          send(400, { status: 'invalid event', message: 'Event object is invalid', errors: ['Request body is not a JSON object'] });
          return;
        }
        if (body['routing_key'] !== routingKey) {
          record(400, body);
          send(400, { status: 'invalid event', message: 'Event object is invalid', errors: ['Invalid routing key'] });
          return;
        }
        const errors = path === '/v2/enqueue' ? eventErrors(body) : changeEventErrors(body);
        if (errors.length > 0) {
          record(400, body);
          send(400, { status: 'invalid event', message: 'Event object is invalid', errors });
          return;
        }
        record(202, body);
        let answer: Record<string, unknown>;
        if (path === '/v2/change/enqueue') {
          changeEvents.push(body);
          answer = { status: 'success', message: 'Change event processed' };
        } else {
          answer = { status: 'success', message: 'Event processed', dedup_key: enqueue(body as PagerDutyWireEvent) };
        }
        if (failure && 'delayMs' in failure) {
          const timer = setTimeout(() => {
            timers.delete(timer);
            if (!response.destroyed) send(202, answer);
          }, failure.delayMs);
          timers.add(timer);
          return;
        }
        send(202, answer);
      })
      .catch(() => response.destroy());
  });

  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  const stop = () =>
    new Promise<void>((ok) => {
      server.closeAllConnections();
      server.close(() => ok());
    });
  return {
    url: `http://127.0.0.1:${port}`,
    routingKey,
    requests,
    events,
    alerts,
    changeEvents,
    failNext: (failure) => void failures.push(failure),
    down: stop,
    up: () => new Promise<void>((ok, fail) => server.once('error', fail).listen(port, '127.0.0.1', () => ok())),
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      if (server.listening) await stop();
    },
  };
}

function eventErrors(body: Record<string, unknown>): string[] {
  const errors: string[] = [];
  const action = body['event_action'];
  if (typeof action !== 'string' || !actions.has(action)) errors.push("'event_action' is invalid (must be one of trigger, acknowledge, resolve)");
  const dedupKey = body['dedup_key'];
  if (dedupKey !== undefined && (typeof dedupKey !== 'string' || dedupKey.length > 255)) errors.push("'dedup_key' must be a string of at most 255 characters");
  if (action !== 'trigger' && typeof dedupKey !== 'string') errors.push("'dedup_key' is required to acknowledge or resolve");
  if (action === 'trigger') {
    const payload = body['payload'] as Record<string, unknown> | undefined;
    if (payload === undefined || typeof payload !== 'object') errors.push("'payload' is missing");
    else {
      const summary = payload['summary'];
      if (typeof summary !== 'string' || summary === '') errors.push("'payload.summary' is missing");
      else if (summary.length > 1024) errors.push("'payload.summary' is longer than 1024 characters");
      if (typeof payload['source'] !== 'string' || payload['source'] === '') errors.push("'payload.source' is missing");
      if (typeof payload['severity'] !== 'string' || !severities.has(payload['severity'])) errors.push("'payload.severity' is invalid (must be one of critical, error, warning, info)");
      const timestamp = payload['timestamp'];
      if (timestamp !== undefined && (typeof timestamp !== 'string' || Number.isNaN(Date.parse(timestamp)))) errors.push("'payload.timestamp' is not an ISO 8601 time");
      const details = payload['custom_details'];
      if (details !== undefined && (details === null || typeof details !== 'object')) errors.push("'payload.custom_details' must be an object");
    }
  }
  errors.push(...linkErrors(body['links']));
  return errors;
}

function changeEventErrors(body: Record<string, unknown>): string[] {
  const payload = body['payload'] as Record<string, unknown> | undefined;
  const errors: string[] = [];
  if (payload === undefined || typeof payload !== 'object') errors.push("'payload' is missing");
  else {
    const summary = payload['summary'];
    if (typeof summary !== 'string' || summary === '') errors.push("'payload.summary' is missing");
    else if (summary.length > 1024) errors.push("'payload.summary' is longer than 1024 characters");
  }
  errors.push(...linkErrors(body['links']));
  return errors;
}

function linkErrors(links: unknown): string[] {
  if (links === undefined) return [];
  if (!Array.isArray(links)) return ["'links' must be a list"];
  return links.flatMap((link, i) => (link !== null && typeof link === 'object' && typeof (link as Record<string, unknown>)['href'] === 'string' ? [] : [`'links[${i}].href' is missing`]));
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((ok, fail) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => ok(body));
    request.on('error', fail);
  });
}
