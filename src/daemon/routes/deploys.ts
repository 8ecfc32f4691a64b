import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../core/clock.js';
import { parseDeployInput } from '../../deploys/deploy-input.js';
import { parseDeployQuery } from '../../deploys/deploy-query.js';
import type { DeployStore } from '../../deploys/deploy-store.js';
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
 * lists them. Register without fastify-plugin so the error handler stays with these routes.
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
      const now = clock.now();
      const parsed = parseDeployInput(request.body, now);
      if (!parsed.ok) {
        const summary = parsed.issues.map((issue) => (issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`)).join('; ');
        return sendError(reply, 400, 'invalid_deploy', `invalid deploy: ${summary}`, parsed.issues);
      }
      const { event, created } = store.save(parsed.input, now, 'api');
      return reply.status(created ? 201 : 200).send(event);
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
