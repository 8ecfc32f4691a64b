import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import type { Clock } from '../../core/clock.js';
import type { AccessScope, Authorize } from '../auth.js';
import { jsonErrorHandler, requireScope } from '../http-errors.js';
import { QueryReader } from './query-params.js';
import { SilenceError, silenceStates, type SilenceErrorCode, type SilenceState } from '../../silences/silence.js';
import type { SilenceStore } from '../../silences/silence-store.js';
import { silenceView } from '../../silences/silence-view.js';


export interface SilenceRoutesOptions {
  store: SilenceStore;
  clock: Clock;
  authorize: Authorize;
}

const statusOf: Record<SilenceErrorCode, number> = { invalid: 400, not_found: 404, already_expired: 409 };

const fail = (reply: FastifyReply, status: number, code: string, message: string) => reply.status(status).send({ error: { code, message } });

/**
 * Silences over HTTP: `GET /api/v1/silences[?state=active|pending|expired]` and `GET /api/v1/silences/:id` (read),
 * `POST /api/v1/silences` (write, 201 with the silence), `DELETE /api/v1/silences/:id` (write, expires it).
 * Errors are `{ error: { code, message } }`.
 */
export async function silenceRoutes(app: FastifyInstance, options: SilenceRoutesOptions): Promise<void> {
  const { store, clock, authorize } = options;

  const guard = (scope: AccessScope) => requireScope(authorize, scope);
  const jsonErrors = jsonErrorHandler(app.log);
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof SilenceError) return fail(reply, statusOf[error.code], error.code, error.message);
    return jsonErrors(error, request, reply);
  });

  app.get('/api/v1/silences', { onRequest: guard('read') }, async (request) => {
    const query = new QueryReader(request.query, ['state']);
    const state = query.oneOf<SilenceState>('state', silenceStates);
    query.done();
    const now = clock.now();
    const silences = store.list({ ...(state !== undefined && { state: state as SilenceState }), now });
    return { silences: silences.map((s) => silenceView(s, now)) };
  });

  app.get<{ Params: { id: string } }>('/api/v1/silences/:id', { onRequest: guard('read') }, async (request, reply) => {
    const silence = store.get(request.params.id);
    if (silence === undefined) return fail(reply, 404, 'not_found', `no silence with id ${request.params.id}`);
    return silenceView(silence, clock.now());
  });

  app.post('/api/v1/silences', { onRequest: guard('write') }, async (request, reply) => {
    const now = clock.now();
    const view = store.atomically(() => silenceView(store.add(request.body ?? {}, now), now));
    return reply.status(201).send(view);
  });

  app.delete<{ Params: { id: string } }>('/api/v1/silences/:id', { onRequest: guard('write') }, async (request) => {
    const now = clock.now();
    return store.atomically(() => silenceView(store.expire(request.params.id, now), now));
  });
}
