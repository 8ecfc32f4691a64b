import type { FastifyBaseLogger, FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AccessScope, Authorize } from './auth.js';

/** A problem with one named input: a body field or a query parameter. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** The body of every error answer: `{ "error": { "code", "message", "fields"? } }`. */
export interface ErrorBody {
  error: { code: string; message: string; fields?: FieldIssue[] };
}

/** Thrown by handlers to answer with a status and code; anything else thrown is a 500. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly fields?: FieldIssue[],
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
};

const isClientStatus = (status: number | undefined): status is number => status !== undefined && status >= 400 && status < 500;

/** The code and message a client sees for an error thrown while handling a request. */
export function describeError(error: Partial<FastifyError> & { message: string; fields?: FieldIssue[] }, bodyLimit?: number): { status: number; body: ErrorBody } {
  const status = isClientStatus(error.statusCode) || error.statusCode === 503 ? error.statusCode : 500;
  if (status === 500) return { status, body: errorBody('internal', 'internal error: the server log has the details') };
  const code = (error.code !== undefined && fastifyCodes[error.code]) || (error.code?.startsWith('FST_') ? 'bad_request' : error.code) || 'bad_request';
  let message = error.message;
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' && bodyLimit !== undefined) message = `the body exceeds the limit of ${formatBytes(bodyLimit)}`;
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') message = 'unsupported content type: send application/json';
  return { status, body: errorBody(code, message, error.fields) };
}

export function formatBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/** `setErrorHandler` for JSON APIs: client errors keep their status, everything else is a logged 500. */
export function jsonErrorHandler(log: FastifyBaseLogger) {
  return (error: FastifyError & { fields?: FieldIssue[] }, request: FastifyRequest, reply: FastifyReply) => {
    const { status, body } = describeError(error, request.routeOptions.bodyLimit);
    if (status === 500) log.error({ err: error, method: request.method, url: request.url, requestId: request.id }, 'request failed');
    if (status === 401) void reply.header('www-authenticate', 'Bearer');
    return reply.status(status).send(body);
  };
}

/** An `onRequest` hook: runs before the body is read, so an unauthorized client cannot make us parse it. */
export function requireScope(authorize: Authorize, scope: AccessScope) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    let allowed: boolean | void;
    try {
      allowed = await authorize(request, scope);
    } catch (error) {
      const e = error as { statusCode?: number; code?: string; message?: string };
      const status = isClientStatus(e.statusCode) ? e.statusCode : 403;
      if (status === 401) void reply.header('www-authenticate', 'Bearer');
      await sendError(reply, status, e.code ?? (status === 401 ? 'unauthorized' : 'forbidden'), e.message ?? 'not allowed');
      return;
    }
    if (allowed === false) await sendError(reply, 403, 'forbidden', `${scope} scope required`);
  };
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
