import type { Verdict } from '../../core/error-ratio-comparison.js';
import { formatDuration } from '../../core/duration.js';
import { maxVerificationPeriod } from '../../verify/verification-settings.js';
import { verificationView } from '../../verify/verification-view.js';
import { baselines, type VerificationAnswer } from '../../verify/verify-service.js';
import type { VerifyAsk } from '../../verify/verifier.js';
import { VerifyTargetError } from '../../verify/verify-target.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Authorize } from '../auth.js';
import { HttpError, requireScope } from '../http-errors.js';
import { defineRoute, routePlugin, summarize, type ParseResult } from '../route.js';
import { param, querySchema, readQuery } from './query-params.js';

export interface VerifyRoutesOptions {
  /** Verifies with the daemon's backend, SLOs, deploys and settings at the daemon's time. */
  verify: (ask: VerifyAsk) => Promise<VerificationAnswer>;
  now: () => number;
  authorize: Authorize;
}

export const webhookBodyLimitBytes = 16 * 1024;

/** With `status=verdict`: pass 200, fail 409, inconclusive 503 (ask again later); otherwise always 200. */
const verdictStatus: Readonly<Record<Verdict, number>> = { pass: 200, fail: 409, inconclusive: 503 };

function verifyQuery(raw: unknown, now: number): ParseResult<VerifyAsk & { status: 'always' | 'verdict' }> {
  const read = readQuery(
    querySchema({
      service: param.text(),
      deploy: param.text(),
      since: param.time(now),
      for: param.duration(),
      baseline: param.oneOf(baselines),
      canary: param.oneOf(['true', 'false'] as const),
      status: param.oneOf(['always', 'verdict'] as const),
    }),
    raw,
  );
  if (!read.ok) return read;
  const { service, deploy, since, for: period, canary, status } = read.value;
  if (service === undefined) return { ok: false, issues: [{ path: 'service', message: 'name the service to verify (?service=checkout)' }] };
  if (deploy !== undefined && since !== undefined) return { ok: false, issues: [{ path: 'since', message: 'expected deploy or since, not both' }] };
  if (canary === 'true' && read.value.baseline !== undefined && read.value.baseline !== 'stable') {
    return { ok: false, issues: [{ path: 'canary', message: `canary=true compares with stable, expected no baseline=${read.value.baseline}` }] };
  }
  const baseline = canary === 'true' ? 'stable' : read.value.baseline;
  if (period !== undefined && (period < 60 || period > maxVerificationPeriod)) {
    return { ok: false, issues: [{ path: 'for', message: `expected a duration from 1m to ${formatDuration(maxVerificationPeriod)}, got ${period}s` }] };
  }
  return {
    ok: true,
    value: {
      service,
      ...(deploy !== undefined && { deploy }),
      ...(since !== undefined && { since }),
      ...(period !== undefined && { period }),
      ...(baseline !== undefined && { baseline }),
      status: status ?? 'always',
    },
  };
}

const targetErrors = (error: unknown): HttpError | undefined => {
  if (!(error instanceof VerifyTargetError)) return undefined;
  const notFound = error.code === 'unknown_service' || error.code === 'unknown_deploy' || error.code === 'no_deploy';
  // A canary asked of SLOs without spec.tracks: a valid request the SLO files cannot answer.
  return new HttpError(notFound ? 404 : error.code === 'no_tracks' ? 422 : 400, error.code, error.message);
};

/**
 * The fields a webhook's JSON body may carry in its `metadata` (Flagger's webhook payload): the ask, and the read
 * token, since Flagger's webhooks send no headers.
 */
const webhookFields = ['service', 'deploy', 'since', 'for', 'baseline', 'canary', 'token'] as const;

/** Flagger's payload (`name`, `namespace`, `phase`, `checksum`, `metadata`), or none: the ask fields of its metadata. */
function webhookBody(raw: unknown): ParseResult<Record<string, string>> {
  if (raw === undefined || raw === null) return { ok: true, value: {} };
  if (typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, issues: [{ path: '', message: 'expected a JSON object such as Flagger\'s webhook payload, or no body' }] };
  const metadata = (raw as { metadata?: unknown }).metadata;
  if (metadata === undefined || metadata === null) return { ok: true, value: {} };
  if (typeof metadata !== 'object' || Array.isArray(metadata)) return { ok: false, issues: [{ path: 'metadata', message: 'expected an object of strings' }] };
  const picked: Record<string, string> = {};
  const issues: Array<{ path: string; message: string }> = [];
  for (const [field, value] of Object.entries(metadata)) {
    if (!(webhookFields as readonly string[]).includes(field)) issues.push({ path: `metadata.${field}`, message: `unknown field: allowed fields: ${webhookFields.join(', ')}` });
    else if (typeof value !== 'string') issues.push({ path: `metadata.${field}`, message: 'expected a string' });
    else if (field === 'token' && !/^[\x21-\x7e]+$/.test(value)) issues.push({ path: 'metadata.token', message: 'expected a bearer token: the token alone, without "Bearer " or spaces' });
    else picked[field] = value;
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: picked };
}

/**
 * The read scope for a request whose token is in the Authorization header or, for callers that cannot send
 * headers, in the payload (`metadata.token`). False once the refusal has been sent.
 */
async function readAllowed(authorize: Authorize, request: FastifyRequest, token: string | undefined, reply: FastifyReply): Promise<boolean> {
  const asked = token !== undefined && request.headers.authorization === undefined ? withBearer(request, token) : request;
  await requireScope(authorize, 'read')(asked, reply);
  return !reply.sent;
}

/** The request as if it had carried `Authorization: Bearer <token>`. */
const withBearer = (request: FastifyRequest, token: string): FastifyRequest =>
  Object.create(request, { headers: { value: { ...request.headers, authorization: `Bearer ${token}` } } }) as FastifyRequest;

const answer = async (options: VerifyRoutesOptions, reply: FastifyReply, ask: VerifyAsk, status: 'always' | 'verdict') => {
  const verification = await options.verify(ask);
  if (status === 'verdict' && verification.verdict === 'inconclusive') void reply.header('retry-after', '60');
  return reply.status(status === 'verdict' ? verdictStatus[verification.verdict] : 200).send(verificationView(verification));
};

/**
 * `GET /api/v1/verify?service=` (read): the service since its latest deploy (or `deploy=`, or `since=`) against
 * before it, or with `canary=true` its canary against stable, as `burnrate verify --format json` answers; 200
 * whatever the verdict unless `status=verdict`. For Argo Rollouts' web metric (the verdict by JSON path). `POST /api/v1/verify` is the webhook form for Flagger: the same
 * parameters in the query or in the payload's `metadata`, the verdict always as the status code.
 */
export const verifyRoutes = routePlugin((options: VerifyRoutesOptions) => [
  defineRoute({
    method: 'GET',
    url: '/api/v1/verify',
    scope: 'read',
    query: (raw) => verifyQuery(raw, options.now()),
    errors: targetErrors,
    handler: ({ reply, query: { status, ...ask } }) => answer(options, reply, ask, status),
  }),

  defineRoute({
    method: 'POST',
    url: '/api/v1/verify',
    // The read scope is checked in the handler: the token may come in the payload. The body limit is small.
    scope: 'open',
    bodyLimit: webhookBodyLimitBytes,
    body: { what: 'webhook payload', code: 'invalid_payload', parse: webhookBody },
    errors: targetErrors,
    handler: async ({ reply, request, body: { token, ...fields } }) => {
      if (!(await readAllowed(options.authorize, request, token, reply))) return reply;
      const read = verifyQuery({ ...fields, ...(request.query as Record<string, unknown>) }, options.now());
      if (!read.ok) throw new HttpError(400, 'invalid_query', summarize('invalid query', read.issues), read.issues);
      const { status: _ignored, ...ask } = read.value;
      return answer(options, reply, ask, 'verdict');
    },
  }),
]);
