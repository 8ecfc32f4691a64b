import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../core/clock.js';
import { parseDeployInput } from '../../deploys/deploy-input.js';
import { parseDeployQuery } from '../../deploys/deploy-query.js';
import type { DeployStore } from '../../deploys/deploy-store.js';
import { bodyFingerprint, IdempotencyKeyReused, parseIdempotencyKey } from '../../deploys/idempotency-key.js';
import type { AccessScope, Authorize } from '../auth.js';
import { jsonErrorHandler, requireScope, sendError } from '../http-errors.js';

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
 * again with another body answers 422. Register without fastify-plugin so the error handler stays with these routes.
 */
export async function deployRoutes(app: FastifyInstance, options: DeployRoutesOptions): Promise<void> {
  const { store, clock, authorize } = options;

  app.setErrorHandler(jsonErrorHandler(app.log));
  // Runs before the body is read: an unauthenticated client cannot make us parse 64 KiB.
  const guard = (scope: AccessScope) => requireScope(authorize, scope);

  app.post(
    '/api/v1/deploys',
    { bodyLimit: deployBodyLimitBytes, onRequest: guard('write') },
    async (request, reply) => {
      if (typeof request.body === 'string' || Buffer.isBuffer(request.body)) {
        return sendError(reply, 415, 'unsupported_media_type', 'send the deploy as application/json');
      }
      const key = parseIdempotencyKey(request.headers['idempotency-key']);
      if (!key.ok) return sendError(reply, 400, 'invalid_idempotency_key', key.message);
      const now = clock.now();
      const parsed = parseDeployInput(request.body, now);
      if (!parsed.ok) {
        const summary = parsed.issues.map((issue) => (issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`)).join('; ');
        return sendError(reply, 400, 'invalid_deploy', `invalid deploy: ${summary}`, parsed.issues);
      }
      try {
        const { event, created, match } = store.save(parsed.input, now, 'api', {
          finishTimeDefaulted: parsed.finishTimeDefaulted,
          ...(key.key !== undefined && { idempotency: { key: key.key, fingerprint: bodyFingerprint(request.body) } }),
        });
        if (match === 'idempotency-key') void reply.header('idempotent-replayed', 'true');
        return reply.status(created ? 201 : 200).send(event);
      } catch (error) {
        if (error instanceof IdempotencyKeyReused) return sendError(reply, 422, 'idempotency_key_reused', error.message);
        throw error;
      }
    },
  );

  app.get('/api/v1/deploys', { onRequest: guard('read') }, async (request, reply) => {
    const parsed = parseDeployQuery(request.query as Record<string, unknown>, clock.now());
    if (!parsed.ok) {
      return sendError(reply, 400, 'invalid_query', `invalid query: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, parsed.issues);
    }
    return { deploys: store.list(parsed.filter) };
  });
}
