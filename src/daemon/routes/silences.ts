import type { Clock } from '../../core/clock.js';
import type { Authorize } from '../auth.js';
import { HttpError } from '../http-errors.js';
import { defineRoute, notFound, routePlugin } from '../route.js';
import { param, querySchema } from './query-params.js';
import { SilenceError, silenceStates, type SilenceErrorCode } from '../../silences/silence.js';
import type { SilenceStore } from '../../silences/silence-store.js';
import { silenceView } from '../../silences/silence-view.js';

export interface SilenceRoutesOptions {
  store: SilenceStore;
  clock: Clock;
  authorize: Authorize;
}

const statusOf: Record<SilenceErrorCode, number> = { invalid: 400, not_found: 404, already_expired: 409 };

/** A SilenceError of the store, answered with its code. */
const silenceErrors = (error: unknown): HttpError | undefined => (error instanceof SilenceError ? new HttpError(statusOf[error.code], error.code, error.message) : undefined);

/**
 * Silences over HTTP: `GET /api/v1/silences[?state=active|pending|expired]` and `GET /api/v1/silences/:id` (read),
 * `POST /api/v1/silences` (write, 201 with the silence), `DELETE /api/v1/silences/:id` (write, expires it).
 * The store validates a new silence inside its transaction (SilenceError `invalid`, 400).
 */
export const silenceRoutes = routePlugin(({ store, clock }: SilenceRoutesOptions) => [
  defineRoute({
    method: 'GET',
    url: '/api/v1/silences',
    scope: 'read',
    query: querySchema({ state: param.oneOf(silenceStates) }),
    handler: ({ query: { state } }) => {
      const now = clock.now();
      const silences = store.list({ ...(state !== undefined && { state }), now });
      return { silences: silences.map((s) => silenceView(s, now)) };
    },
  }),

  defineRoute({
    method: 'GET',
    url: '/api/v1/silences/:id',
    scope: 'read',
    handler: ({ params }) => {
      const silence = store.get(params.id) ?? notFound(`no silence with id ${params.id}`);
      return silenceView(silence, clock.now());
    },
  }),

  defineRoute({
    method: 'POST',
    url: '/api/v1/silences',
    scope: 'write',
    errors: silenceErrors,
    handler: ({ request, reply }) => {
      const now = clock.now();
      const view = store.atomically(() => silenceView(store.add(request.body ?? {}, now), now));
      return reply.status(201).send(view);
    },
  }),

  defineRoute({
    method: 'DELETE',
    url: '/api/v1/silences/:id',
    scope: 'write',
    errors: silenceErrors,
    handler: ({ params }) => {
      const now = clock.now();
      return store.atomically(() => silenceView(store.expire(params.id, now), now));
    },
  }),
]);
