/**
 * The one way to declare an HTTP route of the daemon: its method and URL, the scope it needs, its query and body
 * schemas, the domain errors it translates, and a handler that sees only what passed them.
 *
 * To add an endpoint:
 * 1. In a file of `src/daemon/routes/`, declare it in the list a `routePlugin` builds from its options:
 *
 *        export const widgetRoutes = routePlugin((options: WidgetRoutesOptions) => [
 *          defineRoute({
 *            method: 'GET',
 *            url: '/api/v1/widgets/:id',
 *            scope: 'read',                                    // 'read' | 'write' | 'open'
 *            query: querySchema({ limit: param.limit(100, 1000) }), // routes/query-params.ts; 400 invalid_query
 *            handler: ({ params, query }) => options.store.get(params.id, query.limit) ?? notFound(`no widget ${params.id}`),
 *          }),
 *        ]);
 *
 *    A body is `body: { what: 'widget', code: 'invalid_widget', parse: <zod schema or the domain's parser> }`:
 *    a body that fails it answers `400 invalid_widget` "invalid widget: …" (with `fields` when a problem names a
 *    field), a text body `415`. A domain error the handler throws becomes an answer through `errors`
 *    (`(error) => error instanceof WidgetError ? new HttpError(409, error.code, error.message) : undefined`);
 *    `throw new HttpError(status, code, message)` answers directly. Anything else is a logged 500 `internal`.
 * 2. Register the plugin in `buildHttpServer` (`http-server.ts`) with the options, `authorize` among them.
 * 3. Document it in `docs/openapi.yaml`: test/api/openapi.test.ts compares the two, and the fuzz test
 *    (test/hardening/fuzz-api.test.ts) sends it requests built from that description.
 *
 * Every error, whatever raised it, is `{ "error": { "code", "message", "fields"? } }` (`http-errors.ts`).
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import * as z from 'zod';
import type { AccessScope, Authorize } from './auth.js';
import { HttpError, jsonErrorHandler, requireScope, type FieldIssue } from './http-errors.js';
import { readQuery } from './routes/query-params.js';

export type ParseResult<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] };

/** A parser the domain owns (shared with the CLI, or needing the time or the caller): every problem named. */
export type Parser<T> = (raw: unknown, request: FastifyRequest) => ParseResult<T>;

/** A query: a `querySchema(...)` (routes/query-params.ts), or a parser; problems answer `400 invalid_query`. */
export type QuerySpec<T> = (z.ZodType<T> & { shape: z.ZodRawShape }) | Parser<T>;

/** A JSON body: problems answer `400 <code>` "invalid <what>: …"; a text body `415`. */
export interface BodySpec<T> {
  what: string;
  code: string;
  parse: z.ZodType<T> | Parser<T>;
}

/** `/api/v1/silences/:id` → `'id'`. */
export type ParamNames<Url extends string> = Url extends `${string}:${infer Name}/${infer Rest}` ? Name | ParamNames<`/${Rest}`> : Url extends `${string}:${infer Name}` ? Name : never;

export interface RouteContext<Url extends string, Query, Body> {
  request: FastifyRequest;
  reply: FastifyReply;
  params: Readonly<Record<ParamNames<Url>, string>>;
  query: Query;
  body: Body;
}

export interface RouteDefinition<Url extends string, Query, Body> {
  method: 'GET' | 'POST' | 'DELETE';
  url: Url;
  /** Checked before the body is read, so an unauthorized client cannot make us parse it; `open`: no check. */
  scope: AccessScope | 'open';
  query?: QuerySpec<Query>;
  body?: BodySpec<Body>;
  /** Bytes; the server's limit for JSON bodies when unset. */
  bodyLimit?: number;
  /** Turns a domain error the handler throws into an answer; undefined passes it on (a 500 unless it is an HttpError). */
  errors?: (error: unknown) => HttpError | undefined;
  /** Returns the JSON answer (200), or answers through `reply` (another status, headers) and returns it. */
  handler: (context: RouteContext<Url, Query, Body>) => unknown;
}

declare const erased: unique symbol;
/** A declared route, ready for {@link addRoutes}. */
export interface Route {
  readonly [erased]: true;
}

export function defineRoute<const Url extends string, Query = undefined, Body = undefined>(definition: RouteDefinition<Url, Query, Body>): Route {
  return definition as unknown as Route;
}

/** `404 not_found` with `message`. */
export const notFound = (message: string): never => {
  throw new HttpError(404, 'not_found', message);
};

/** The message of a `400`: `what: path: message; …`. */
export const summarize = (what: string, issues: readonly FieldIssue[]): string => `${what}: ${issues.map((i) => (i.path === '' ? i.message : `${i.path}: ${i.message}`)).join('; ')}`;

/** `fields` when a problem names a field or parameter: then every problem, in the order found. */
const fieldsOf = (issues: FieldIssue[]): FieldIssue[] | undefined => (issues.some((issue) => issue.path !== '') ? issues : undefined);

function parseWith<T>(parse: z.ZodType<T> | Parser<T>, raw: unknown, request: FastifyRequest): ParseResult<T> {
  if (typeof parse === 'function') return parse(raw, request);
  const result = parse.safeParse(raw);
  return result.success ? { ok: true, value: result.data } : { ok: false, issues: result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })) };
}

function readRouteQuery<T>(spec: QuerySpec<T>, request: FastifyRequest): ParseResult<T> {
  return typeof spec === 'function' ? spec(request.query, request) : readQuery(spec, request.query);
}

/** Registers `routes` on `app`, each guarded by `authorize` for its scope. */
export function addRoutes(app: FastifyInstance, authorize: Authorize, routes: readonly Route[]): void {
  for (const route of routes as unknown as ReadonlyArray<RouteDefinition<string, unknown, unknown>>) {
    app.route({
      method: route.method,
      url: route.url,
      ...(route.bodyLimit !== undefined && { bodyLimit: route.bodyLimit }),
      ...(route.scope !== 'open' && { onRequest: requireScope(authorize, route.scope) }),
      handler: async (request, reply) => {
        let query: unknown;
        if (route.query !== undefined) {
          const read = readRouteQuery(route.query, request);
          if (!read.ok) throw new HttpError(400, 'invalid_query', summarize('invalid query', read.issues), read.issues);
          query = read.value;
        }
        let body: unknown;
        if (route.body !== undefined) {
          const { what, code, parse } = route.body;
          if (typeof request.body === 'string' || Buffer.isBuffer(request.body)) throw new HttpError(415, 'unsupported_media_type', `send the ${what} as application/json`);
          const read = parseWith(parse, request.body, request);
          if (!read.ok) throw new HttpError(400, code, summarize(`invalid ${what}`, read.issues), fieldsOf(read.issues));
          body = read.value;
        }
        try {
          return await route.handler({ request, reply, params: request.params as Record<string, string>, query, body });
        } catch (error) {
          throw route.errors?.(error) ?? error;
        }
      },
    });
  }
}

/**
 * A fastify plugin serving the routes `build` declares from the plugin's options, with the JSON error answers
 * (kept inside the plugin: register it without fastify-plugin). `setup` runs first, e.g. to add a body parser
 * only these routes accept.
 */
export function routePlugin<Options extends { authorize: Authorize }>(build: (options: Options) => readonly Route[], setup?: (app: FastifyInstance) => void): FastifyPluginAsync<Options> {
  return async (app, options) => {
    app.setErrorHandler(jsonErrorHandler(app.log));
    setup?.(app);
    addRoutes(app, options.authorize, build(options));
  };
}
