import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../core/clock.js';
import { parseDeployInput, type FieldIssue } from '../../deploys/deploy-input.js';
import { parseDeployQuery } from '../../deploys/deploy-query.js';
import type { DeployStore } from '../../deploys/deploy-store.js';
import type { AccessScope, Authorize } from '../auth.js';

export interface DeployRoutesOptions {
  store: DeployStore;
  clock: Clock;
  authorize: Authorize;
}

export const deployBodyLimitBytes = 64 * 1024;

interface HttpError {
  statusCode?: number;
  code?: string;
  message: string;
}

/** Fastify's own error codes, as our clients see them. */
const errorCodes: Readonly<Record<string, string>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'body_too_large',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_content_length',
};

function sendError(reply: FastifyReply, status: number, code: string, message: string, fields?: FieldIssue[]) {
  return reply.status(status).send({ error: { code, message, ...(fields !== undefined && { fields }) } });
}

/**
 * Deploy events over HTTP: `POST /api/v1/deploys` (write scope) records one, `GET /api/v1/deploys` (read scope)
 * lists them. Register without fastify-plugin so the error handler stays with these routes.
 */
export async function deployRoutes(app: FastifyInstance, options: DeployRoutesOptions): Promise<void> {
  const { store, clock, authorize } = options;

  app.setErrorHandler((error: HttpError, _request, reply) => {
    const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    const code = (error.code !== undefined && errorCodes[error.code]) || error.code || (status === 500 ? 'internal' : 'bad_request');
    const message = error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? `the body exceeds ${deployBodyLimitBytes / 1024} KiB` : error.message;
    if (status === 500) app.log.error({ err: error }, 'deploy route failed');
    return sendError(reply, status, code, status === 500 ? 'internal error' : message);
  });

  // Runs before the body is read: an unauthenticated client cannot make us parse 64 KiB.
  const guard = (scope: AccessScope) => async (request: FastifyRequest, reply: FastifyReply) => {
    let allowed: boolean | void;
    try {
      allowed = await authorize(request, scope);
    } catch (error) {
      const e = error as { statusCode?: number; code?: string; message?: string };
      const status = e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 600 ? e.statusCode : 403;
      if (status === 401) void reply.header('www-authenticate', 'Bearer');
      return sendError(reply, status, e.code ?? (status === 401 ? 'unauthorized' : 'forbidden'), e.message ?? 'not allowed');
    }
    if (allowed === false) return sendError(reply, 403, 'forbidden', `this request may not ${scope} deploys`);
    return undefined;
  };

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
