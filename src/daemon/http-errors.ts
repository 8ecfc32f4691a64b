import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyBaseLogger, FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { classifySqliteError, storageFaultAnswer } from '../store/sqlite-errors.js';
import { AuthError, type AccessScope, type Authorize } from './auth.js';

/** A problem with one named input: a body field or a query parameter. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** The body of every error answer: `{ "error": { "code", "message", "fields"? } }`. */
export interface ErrorBody {
  error: { code: string; message: string; fields?: FieldIssue[] };
}

/** Thrown by handlers to answer with a status, code and headers (`Retry-After`); anything else thrown is a 500. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly fields?: FieldIssue[],
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
  }
}

export function errorBody(code: string, message: string, fields?: FieldIssue[]): ErrorBody {
  return { error: { code, message, ...(fields !== undefined && { fields }) } };
}

export function sendError(reply: FastifyReply, status: number, code: string, message: string, fields?: FieldIssue[]): FastifyReply {
  return reply.status(status).send(errorBody(code, message, fields));
}

/** Fastify's own error codes, as clients see them. */
const fastifyCodes: Readonly<Record<string, string>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'body_too_large',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_content_length',
  FST_ERR_CTP_EMPTY_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_TYPE: 'unsupported_media_type',
  FST_ERR_VALIDATION: 'invalid_request',
  FST_ERR_BAD_URL: 'bad_url',
  FST_ERR_MAX_PARAM_LENGTH: 'path_too_long',
};

const isClientStatus = (status: number | undefined): status is number => status !== undefined && status >= 400 && status < 500;

export const internalErrorBody = (): ErrorBody => errorBody('internal', 'internal error: the server log has the details');

export interface ErrorAnswer {
  status: number;
  body: ErrorBody;
  headers?: Readonly<Record<string, string>>;
}

/**
 * The code and message a client sees for an error thrown while handling a request. A fault of the database
 * (full, busy, corrupt, read-only, I/O) is 503 with `Retry-After`; anything unexpected is a bare 500 `internal`.
 */
export function describeError(error: Partial<FastifyError> & { message: string; fields?: FieldIssue[] }, bodyLimit?: number): ErrorAnswer {
  const fault = classifySqliteError(error);
  if (fault !== undefined) {
    const answer = storageFaultAnswer(fault);
    return { status: answer.status, body: errorBody(answer.code, answer.message), headers: { 'retry-after': String(answer.retryAfter) } };
  }
  // An HttpError keeps the status its route chose (501 `not_implemented`); any other error a 4xx or 503 only.
  const chosen = error instanceof HttpError && error.statusCode >= 400 && error.statusCode < 600;
  const status = chosen || isClientStatus(error.statusCode) || error.statusCode === 503 ? error.statusCode! : 500;
  if (status === 500) return { status, body: internalErrorBody() };
  const code = (error.code !== undefined && fastifyCodes[error.code]) || (error.code?.startsWith('FST_') ? 'bad_request' : error.code) || 'bad_request';
  let message = error.message;
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' && bodyLimit !== undefined) message = `the body exceeds the limit of ${formatBytes(bodyLimit)}`;
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') message = 'unsupported content type: send application/json';
  if (error.code === 'FST_ERR_BAD_URL') message = 'the URL is not valid: a "%" must start an escape of two hex digits';
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') message = 'a path segment is too long';
  return { status, body: errorBody(code, message, error.fields), ...(error instanceof HttpError && error.headers !== undefined && { headers: error.headers }) };
}

export function formatBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/** `setErrorHandler` for JSON APIs: client errors keep their status, everything else is a logged 500. */
export function jsonErrorHandler(log: FastifyBaseLogger) {
  return (error: FastifyError & { fields?: FieldIssue[] }, request: FastifyRequest, reply: FastifyReply) => {
    const { status, body, headers } = describeError(error, request.routeOptions.bodyLimit);
    // An HttpError is an answer a route chose (503 `ingest_unavailable`); any other 5xx is a fault to log.
    if (status >= 500 && !(error instanceof HttpError)) log.error({ err: error, method: request.method, url: request.url, requestId: request.id }, 'request failed');
    if (status === 401) void reply.header('www-authenticate', 'Bearer');
    for (const [name, value] of Object.entries(headers ?? {})) void reply.header(name, value);
    return reply.status(status).send(body);
  };
}

/** What Node's HTTP parser refuses before fastify sees a request, as clients see it. */
function describeClientError(code: string | undefined): { status: number; code: string; message: string } {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, code: 'request_timeout', message: 'the request took too long to arrive' };
  if (code === 'HPE_HEADER_OVERFLOW') return { status: 431, code: 'headers_too_large', message: 'the request headers are too large' };
  if (code === 'HPE_INVALID_METHOD') return { status: 501, code: 'method_not_implemented', message: 'unknown HTTP method' };
  return { status: 400, code: 'bad_request', message: 'the request is not valid HTTP/1.1' };
}

/**
 * fastify's `clientErrorHandler`: answers what Node's parser refuses (oversized headers, not HTTP, a timeout)
 * with the JSON error body, then closes the connection. The parser's own error codes stay in the debug log.
 */
export function jsonClientErrorHandler(log: FastifyBaseLogger) {
  return (error: Error & { code?: string }, socket: Socket): void => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const { status, code, message } = describeClientError(error.code);
    log.debug({ err: error }, 'client error');
    // Like Node's default: only when no answer has begun on this connection.
    const pending = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (socket.writable && pending?.headersSent !== true) {
      const body = JSON.stringify(errorBody(code, message));
      socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    }
    socket.destroy(error);
  };
}

/** An `onRequest` hook: runs before the body is read, so an unauthorized client cannot make us parse it. */
export function requireScope(authorize: Authorize, scope: AccessScope) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    let allowed: boolean | void;
    try {
      allowed = await authorize(request, scope);
    } catch (error) {
      await sendAuthFailure(request, reply, error);
      return;
    }
    if (allowed === false) await sendError(reply, 403, 'forbidden', `${scope} scope required`);
  };
}

// Codes of our own answers are lower snake case; Node's and libraries' (`ERR_…`, `FST_…`, `SQLITE_…`) are not.
const isAnswerCode = (code: unknown): code is string => typeof code === 'string' && /^[a-z][a-z0-9_]*$/.test(code);

/**
 * Answers an error thrown by an `Authorize`: one with a 4xx `statusCode` (an {@link AuthError}) with that status,
 * its code when it is one of ours and its message; anything else is a logged 500 `internal`, so no internal error
 * code or message (`ERR_CRYPTO_…`) reaches the client.
 */
export async function sendAuthFailure(request: FastifyRequest, reply: FastifyReply, error: unknown): Promise<void> {
  const e = (typeof error === 'object' && error !== null ? error : {}) as { statusCode?: number; code?: unknown; message?: unknown };
  if (isClientStatus(e.statusCode) && (error instanceof AuthError || error instanceof HttpError || isAnswerCode(e.code) || e.code === undefined)) {
    const status = e.statusCode;
    if (status === 401) void reply.header('www-authenticate', 'Bearer');
    await sendError(reply, status, isAnswerCode(e.code) ? e.code : status === 401 ? 'unauthorized' : 'forbidden', typeof e.message === 'string' && e.message !== '' ? e.message : 'not allowed');
    return;
  }
  request.log.error({ err: error, method: request.method, url: request.url, requestId: request.id }, 'authorization failed');
  await reply.status(500).send(internalErrorBody());
}

export interface RouteEntry {
  method: string;
  url: string;
}

const routeTables = new WeakMap<FastifyInstance, RouteEntry[]>();

/**
 * Keeps the list of routes registered on `app` (and in its plugins), for `405 Method Not Allowed`
 * answers and for comparing the server with its API description. Call before registering routes.
 */
export function trackRoutes(app: FastifyInstance): void {
  const table: RouteEntry[] = [];
  routeTables.set(app, table);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) if (method !== 'HEAD') table.push({ method, url: route.url });
  });
}

/** Routes registered since `trackRoutes(app)`, HEAD excluded. */
export function registeredRoutes(app: FastifyInstance): readonly RouteEntry[] {
  return routeTables.get(app) ?? [];
}

const matcher = (url: string) =>
  new RegExp(`^${url.split('/').map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')}/?$`);

/** Unknown path: 404; known path, other method: 405 with `Allow`. Both JSON. */
export function jsonNotFoundHandler(app: FastifyInstance) {
  const compiled = new Map<string, RegExp>();
  return (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0] ?? '';
    const allowed = new Set<string>();
    for (const route of registeredRoutes(app)) {
      let pattern = compiled.get(route.url);
      if (!pattern) compiled.set(route.url, (pattern = matcher(route.url)));
      if (pattern.test(path)) allowed.add(route.method);
    }
    if (allowed.size > 0) {
      if (allowed.has('GET')) allowed.add('HEAD');
      void reply.header('allow', [...allowed].sort().join(', '));
      return sendError(reply, 405, 'method_not_allowed', `${request.method} is not allowed on ${path}: use ${[...allowed].sort().join(', ')}`);
    }
    return sendError(reply, 404, 'not_found', `no route ${request.method} ${path}`);
  };
}
