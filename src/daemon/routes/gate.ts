import type { FastifyRequest } from 'fastify';
import type { Clock } from '../../core/clock.js';
import { overrideView } from '../../gate/decide.js';
import type { GateRequest } from '../../gate/gate-answer.js';
import { gateLogView, type GateLog } from '../../gate/gate-log.js';
import { parseOverrideInput } from '../../gate/gate-override.js';
import { answerGate, gateTargets, GateTargetError, type GateSources } from '../../gate/gate-service.js';
import type { OverrideStore } from '../../gate/override-store.js';
import type { Authorize } from '../auth.js';
import { HttpError } from '../http-errors.js';
import { defineRoute, routePlugin, type ParseResult } from '../route.js';
import { param, querySchema, readQuery } from './query-params.js';

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

const gateQuery = querySchema({ service: param.list(), slo: param.list() });

/** `?service=checkout` or `?slo=a&slo=b`, not both. */
function gateRequest(raw: unknown): ParseResult<GateRequest> {
  const read = readQuery(gateQuery, raw);
  if (!read.ok) return read;
  const { service: services, slo: slos } = read.value;
  const problem = (path: string, message: string): ParseResult<GateRequest> => ({ ok: false, issues: [{ path, message }] });
  if (services.length > 1) return problem('service', `expected one value, got ${services.length}`);
  if (services.length === 1 && slos.length > 0) return problem('slo', 'expected service or slo, not both');
  if (services.length === 1) return { ok: true, value: { service: services[0]! } };
  if (slos.length === 0) return problem('service', 'name a service (?service=checkout) or SLOs (?slo=a&slo=b)');
  return { ok: true, value: { slos } };
}

/** What a GateTargetError answers: `no_target` 400, an unknown service or SLO 404. */
const targetErrors =
  (noTarget: number) =>
  (error: unknown): HttpError | undefined =>
    error instanceof GateTargetError ? new HttpError(error.code === 'no_target' ? noTarget : 404, error.code, error.message) : undefined;

/**
 * The deployment gate over HTTP: `GET /api/v1/gate?service=` (or `?slo=`, repeatable) answers the verdict (200 for
 * allow, deny and unknown alike), `POST /api/v1/gate/overrides` (write) records an override, `GET /api/v1/gate/overrides`
 * and `GET /api/v1/gate/log` (read) list them.
 */
export const gateRoutes = routePlugin((options: GateRoutesOptions) => {
  const { sources, overrides, log, clock, authorize } = options;
  const gateSources: GateSources = { ...sources, overrides, log };
  const requester = (request: FastifyRequest): string => authorize.tokenName?.(request) ?? `anonymous@${request.ip}`;

  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/gate',
      scope: 'read',
      query: gateRequest,
      errors: targetErrors(400),
      handler: ({ request, query }) => answerGate(gateSources, query, requester(request), clock.now()),
    }),

    defineRoute({
      method: 'POST',
      url: '/api/v1/gate/overrides',
      scope: 'write',
      bodyLimit: gateBodyLimitBytes,
      body: {
        what: 'override',
        code: 'invalid_override',
        parse: (raw, request) => {
          if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
            return { ok: false, issues: [{ path: '', message: 'send the override as a JSON object: {"service" or "slo", "reason", "author", "for"}' }] };
          }
          const token = authorize.tokenName?.(request);
          const parsed = parseOverrideInput({ ...(token !== undefined && { author: token }), ...raw });
          return parsed.ok ? { ok: true, value: parsed.draft } : parsed;
        },
      },
      errors: targetErrors(404),
      handler: ({ request, reply, body: draft }) => {
        gateTargets(sources.slos, draft.service !== null ? { service: draft.service } : { slos: [draft.slo!] });
        return reply.status(201).send(overrideView(overrides.add(draft, clock.now(), requester(request))));
      },
    }),

    defineRoute({
      method: 'GET',
      url: '/api/v1/gate/overrides',
      scope: 'read',
      handler: () => ({ overrides: overrides.active(clock.now()).map(overrideView) }),
    }),

    defineRoute({
      method: 'GET',
      url: '/api/v1/gate/log',
      scope: 'read',
      query: (raw) => readQuery(querySchema({ service: param.text(), since: param.time(clock.now()), limit: param.limit(100, maxLogLimit) }), raw),
      handler: ({ query: { service, since, limit } }) => ({
        decisions: log.list({ ...(service !== undefined && { service }), ...(since !== undefined && { since }), limit }).map(gateLogView),
      }),
    }),
  ];
});
