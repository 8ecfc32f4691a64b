import type { Clock } from '../../core/clock.js';
import { parseDeployInput } from '../../deploys/deploy-input.js';
import { parseDeployQuery } from '../../deploys/deploy-query.js';
import type { DeployStore } from '../../deploys/deploy-store.js';
import { bodyFingerprint, IdempotencyKeyReused, parseIdempotencyKey } from '../../deploys/idempotency-key.js';
import type { Authorize } from '../auth.js';
import { HttpError } from '../http-errors.js';
import { defineRoute, routePlugin } from '../route.js';

export interface DeployRoutesOptions {
  store: DeployStore;
  clock: Clock;
  authorize: Authorize;
}

export const deployBodyLimitBytes = 64 * 1024;

/**
 * Deploy events over HTTP: `POST /api/v1/deploys` (write scope) records one, `GET /api/v1/deploys` (read scope)
 * lists them. A POST answers 201 for a new deploy and 200 with the stored one when it is the same deploy again
 * (same finish time, or none given within the store's dedup window, or a repeated `Idempotency-Key`); a key sent
 * again with another body answers 422. The body and the query are read by the parsers the CLI uses too.
 */
export const deployRoutes = routePlugin(({ store, clock }: DeployRoutesOptions) => [
  defineRoute({
    method: 'POST',
    url: '/api/v1/deploys',
    scope: 'write',
    bodyLimit: deployBodyLimitBytes,
    body: {
      what: 'deploy',
      code: 'invalid_deploy',
      parse: (raw) => {
        const now = clock.now();
        const parsed = parseDeployInput(raw, now);
        return parsed.ok ? { ok: true, value: { input: parsed.input, finishTimeDefaulted: parsed.finishTimeDefaulted, now } } : parsed;
      },
    },
    errors: (error) => (error instanceof IdempotencyKeyReused ? new HttpError(422, 'idempotency_key_reused', error.message) : undefined),
    handler: ({ request, reply, body: { input, finishTimeDefaulted, now } }) => {
      const key = parseIdempotencyKey(request.headers['idempotency-key']);
      if (!key.ok) throw new HttpError(400, 'invalid_idempotency_key', key.message);
      const { event, created, match } = store.save(input, now, 'api', {
        finishTimeDefaulted,
        ...(key.key !== undefined && { idempotency: { key: key.key, fingerprint: bodyFingerprint(request.body) } }),
      });
      if (match === 'idempotency-key') void reply.header('idempotent-replayed', 'true');
      return reply.status(created ? 201 : 200).send(event);
    },
  }),

  defineRoute({
    method: 'GET',
    url: '/api/v1/deploys',
    scope: 'read',
    query: (raw) => {
      const parsed = parseDeployQuery((raw ?? {}) as Record<string, unknown>, clock.now());
      return parsed.ok ? { ok: true, value: parsed.filter } : parsed;
    },
    handler: ({ query }) => ({ deploys: store.list(query) }),
  }),
]);
