import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../core/clock.js';
import { parseSince } from '../../deploys/deploy-time.js';
import { overrideView } from '../../gate/decide.js';
import type { GateRequest } from '../../gate/gate-answer.js';
import { gateLogView, type GateLog } from '../../gate/gate-log.js';
import { parseOverrideInput } from '../../gate/gate-override.js';
import { answerGate, gateTargets, GateTargetError, type GateSources } from '../../gate/gate-service.js';
import type { OverrideStore } from '../../gate/override-store.js';
import type { AccessScope, Authorize } from '../auth.js';
import { jsonErrorHandler, sendAuthFailure } from '../http-errors.js';

export interface GateRoutesOptions {
  sources: Omit<GateSources, 'overrides' | 'log'>;
  overrides: OverrideStore;
  log: GateLog;
  clock: Clock;
  /** `createAuthorizer`'s `tokenName` tells the gate log which token asked. */
  authorize: Authorize & { tokenName?: (request: FastifyRequest) => string | undefined };
}

export const gateBodyLimitBytes = 16 * 1024;
const maxLogLimit = 1000;

const fail = (reply: FastifyReply, status: number, code: string, message: string) => reply.status(status).send({ error: { code, message } });

type Query = Readonly<Record<string, unknown>>;

const values = (raw: unknown): string[] => (raw === undefined ? [] : [raw].flat().map(String));

/** `?service=checkout` or `?slo=a&slo=b`, not both. */
function gateRequest(query: Query): GateRequest | string {
  const unknown = Object.keys(query).filter((key) => key !== 'service' && key !== 'slo');
  if (unknown.length > 0) return `unknown parameter "${unknown[0]}": allowed parameters: service, slo`;
  const services = values(query['service']);
  const slos = values(query['slo']);
  if (services.length > 1) return 'expected one service';
  if (services.length === 1 && slos.length > 0) return 'expected service or slo, not both';
  if (services.length === 1) return { service: services[0]! };
  if (slos.length === 0) return 'name a service (?service=checkout) or SLOs (?slo=a&slo=b)';
  return { slos };
}

/**
 * The deployment gate over HTTP: `GET /api/v1/gate?service=` (or `?slo=`, repeatable) answers the verdict (200 for
 * allow, deny and unknown alike), `POST /api/v1/gate/overrides` (write) records an override, `GET /api/v1/gate/overrides`
 * and `GET /api/v1/gate/log` (read) list them. Register without fastify-plugin so the error handler stays here.
 */
export async function gateRoutes(app: FastifyInstance, options: GateRoutesOptions): Promise<void> {
  const { sources, overrides, log, clock, authorize } = options;
  const gateSources: GateSources = { ...sources, overrides, log };

  const jsonErrors = jsonErrorHandler(app.log);
  app.setErrorHandler((error: FastifyError, request, reply) => {
    // Bodies the parser refuses (bad JSON, a media type) are `invalid_body` here; the rest as everywhere.
    if (error.code.startsWith('FST_ERR_CTP_') && error.code !== 'FST_ERR_CTP_BODY_TOO_LARGE' && error.statusCode !== undefined && error.statusCode < 500) {
      return fail(reply, error.statusCode, 'invalid_body', error.message);
    }
    return jsonErrors(error, request, reply);
  });

  const guard = (scope: AccessScope) => async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      if ((await authorize(request, scope)) === false) return fail(reply, 403, 'forbidden', `this request may not ${scope} the gate`);
    } catch (error) {
      return sendAuthFailure(request, reply, error);
    }
    return undefined;
  };

  const requester = (request: FastifyRequest): string => authorize.tokenName?.(request) ?? `anonymous@${request.ip}`;

  app.get('/api/v1/gate', { onRequest: guard('read') }, async (request, reply) => {
    const parsed = gateRequest(request.query as Query);
    if (typeof parsed === 'string') return fail(reply, 400, 'invalid_query', parsed);
    try {
      return answerGate(gateSources, parsed, requester(request), clock.now());
    } catch (error) {
      if (error instanceof GateTargetError) return fail(reply, error.code === 'no_target' ? 400 : 404, error.code, error.message);
      throw error;
    }
  });

  app.post('/api/v1/gate/overrides', { bodyLimit: gateBodyLimitBytes, onRequest: guard('write') }, async (request, reply) => {
    const body = request.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body) || Buffer.isBuffer(body)) {
      return fail(reply, 400, 'invalid_override', 'send the override as a JSON object: {"service" or "slo", "reason", "author", "for"}');
    }
    const token = authorize.tokenName?.(request);
    const raw = { ...(token !== undefined && { author: token }), ...body };
    const parsed = parseOverrideInput(raw);
    if (!parsed.ok) {
      return fail(reply, 400, 'invalid_override', `invalid override: ${parsed.issues.map((i) => (i.path === '' ? i.message : `${i.path}: ${i.message}`)).join('; ')}`);
    }
    const { draft } = parsed;
    try {
      gateTargets(sources.slos, draft.service !== null ? { service: draft.service } : { slos: [draft.slo!] });
    } catch (error) {
      if (error instanceof GateTargetError) return fail(reply, 404, error.code, error.message);
      throw error;
    }
    return reply.status(201).send(overrideView(overrides.add(draft, clock.now(), token ?? `anonymous@${request.ip}`)));
  });

  app.get('/api/v1/gate/overrides', { onRequest: guard('read') }, async () => ({ overrides: overrides.active(clock.now()).map(overrideView) }));

  app.get('/api/v1/gate/log', { onRequest: guard('read') }, async (request, reply) => {
    const query = request.query as Query;
    const unknown = Object.keys(query).filter((key) => !['service', 'since', 'limit'].includes(key));
    if (unknown.length > 0) return fail(reply, 400, 'invalid_query', `unknown parameter "${unknown[0]}": allowed parameters: service, since, limit`);
    const [service, ...extraService] = values(query['service']);
    const [sinceText] = values(query['since']);
    const [limitText] = values(query['limit']);
    if (extraService.length > 0) return fail(reply, 400, 'invalid_query', 'expected one service');
    const since = sinceText === undefined ? undefined : parseSince(sinceText, clock.now());
    if (sinceText !== undefined && since === undefined) {
      return fail(reply, 400, 'invalid_query', `since: expected a duration back from now (e.g. 7d) or a time, got "${sinceText}"`);
    }
    const limit = limitText === undefined ? 100 : /^\d+$/.test(limitText) ? Number(limitText) : NaN;
    if (!(limit >= 1 && limit <= maxLogLimit)) return fail(reply, 400, 'invalid_query', `limit: expected a whole number from 1 to ${maxLogLimit}`);
    return {
      decisions: log.list({ ...(service !== undefined && { service }), ...(since !== undefined && { since }), limit }).map(gateLogView),
    };
  });
}

