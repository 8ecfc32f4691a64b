import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlertStore } from '../../src/alerting/alert-store.js';
import { ManualClock } from '../../src/core/clock.js';
import type { AccessScope } from '../../src/daemon/auth.js';
import { gateRoutes } from '../../src/daemon/routes/gate.js';
import { GateLog } from '../../src/gate/gate-log.js';
import { defaultGateConfig } from '../../src/gate/gate-policy.js';
import { OverrideStore } from '../../src/gate/override-store.js';
import { openDatabase, type Db } from '../../src/store/database.js';
import { EvaluationStore } from '../../src/engine/evaluation-store.js';
import { evaluation, firePage, record, t0, writeProject, type Shape } from './gate-fixture.js';
import { gateCli, projectSlos } from './gate-cli-harness.js';

class AuthError extends Error {
  constructor(
    readonly statusCode: 401 | 403,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const tokens: Record<string, { name: string; scopes: AccessScope[] }> = {
  r: { name: 'ci-reader', scopes: ['read'] },
  w: { name: 'release-bot', scopes: ['read', 'write'] },
};
const tokenOf = (request: FastifyRequest) => tokens[request.headers.authorization?.replace(/^Bearer /, '') ?? ''];

/** Token `w` reads and writes, `r` only reads; `x-deny: 1` refuses by returning false. */
const authorize = Object.assign(
  (request: FastifyRequest, scope: AccessScope): boolean => {
    const token = tokenOf(request);
    if (!token) throw new AuthError(401, 'unauthorized', 'a bearer token is required');
    if (!token.scopes.includes(scope)) throw new AuthError(403, 'forbidden', `token "${token.name}" has no ${scope} scope`);
    return request.headers['x-deny'] !== '1';
  },
  { tokenName: (request: FastifyRequest) => tokenOf(request)?.name },
);

let dir: string;
let project: ReturnType<typeof writeProject>;
let db: Db;
let app: FastifyInstance;
const clock = new ManualClock(t0);
const slos = () => projectSlos(join(dir, 'slos'), join(dir, 'runbooks'));

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'burnrate-gate-http-'));
  project = writeProject(dir);
  clock.set(t0);
  db = openDatabase(project.db);
  app = Fastify();
  await app.register(gateRoutes, {
    sources: { slos: [...slos().values()], evaluations: new EvaluationStore(db), alerts: new AlertStore(db), config: defaultGateConfig },
    overrides: new OverrideStore(db),
    log: new GateLog(db),
    clock,
    authorize,
  });
  await app.ready();
});
afterEach(async () => {
  await app.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function store(shapes: Record<string, Shape> = {}, page?: string): void {
  const all = slos();
  record(db, [...all.values()].map((slo) => evaluation(slo, t0 - 30, shapes[slo.name])));
  if (page !== undefined) firePage(db, all.get(page)!, t0 - 600);
}

const read = { authorization: 'Bearer r' };
const write = { authorization: 'Bearer w' };

describe('GET /api/v1/gate', () => {
  it('answers 200 with the verdict in the body for allow, deny and unknown alike', async () => {
    store({ 'checkout-availability': { budgetLeft: -0.2 }, 'search-availability': { failure: 'timeout' } });
    const deny = await app.inject({ url: '/api/v1/gate?service=checkout', headers: read });
    expect(deny.statusCode).toBe(200);
    expect(deny.json()).toMatchObject({ verdict: 'deny', reasons: ['checkout-availability: budget -20% left, below the 0% minimum'] });
    const unknown = await app.inject({ url: '/api/v1/gate?service=search', headers: read });
    expect([unknown.statusCode, unknown.json<{ verdict: string }>().verdict]).toEqual([200, 'unknown']);
    const allow = await app.inject({ url: '/api/v1/gate?slo=checkout-latency', headers: read });
    expect([allow.statusCode, allow.json<{ verdict: string }>().verdict]).toEqual([200, 'allow']);
  });

  it('agrees with the CLI on the same data', async () => {
    store({ 'checkout-latency': { budgetLeft: 0.042, burn: 3.1 } }, 'checkout-availability');
    const cli = await gateCli(['--config', project.config, 'gate', '--service', 'checkout', '--format', 'json'], t0);
    expect(cli.code).toBe(1);
    const http = await app.inject({ url: '/api/v1/gate?service=checkout', headers: read });
    expect(http.json()).toEqual(JSON.parse(cli.stdout));
    const bySlo = await gateCli(['--config', project.config, 'gate', '--slo', 'checkout-latency', '--slo', 'search-availability', '--format', 'json'], t0);
    const httpBySlo = await app.inject({ url: '/api/v1/gate?slo=checkout-latency&slo=search-availability', headers: read });
    expect(httpBySlo.json()).toEqual(JSON.parse(bySlo.stdout));
  });

  it('answers 404 naming the known services for an unknown service, 400 for a malformed query', async () => {
    const unknown = await app.inject({ url: '/api/v1/gate?service=payments', headers: read });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ error: { code: 'unknown_service', message: 'unknown service "payments"; known services: checkout, search' } });
    expect((await app.inject({ url: '/api/v1/gate?slo=nope', headers: read })).json()).toMatchObject({ error: { code: 'unknown_slo' } });
    for (const query of ['', '?service=checkout&slo=checkout-latency', '?service=a&service=b', '?team=payments']) {
      const response = await app.inject({ url: `/api/v1/gate${query}`, headers: read });
      expect([query, response.statusCode, response.json<{ error: { code: string } }>().error.code]).toEqual([query, 400, 'invalid_query']);
    }
  });

  it('needs the read scope', async () => {
    expect((await app.inject({ url: '/api/v1/gate?service=checkout' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/v1/gate?service=checkout', headers: { ...read, 'x-deny': '1' } })).statusCode).toBe(403);
  });

  it('refuses in the words of every route, and names each problem of a query', async () => {
    const denied = await app.inject({ url: '/api/v1/gate/overrides', headers: { ...read, 'x-deny': '1' } });
    expect(denied.json()).toEqual({ error: { code: 'forbidden', message: 'read scope required' } });
    const both = await app.inject({ url: '/api/v1/gate?service=checkout&slo=checkout-latency', headers: read });
    expect(both.json()).toEqual({ error: { code: 'invalid_query', message: 'invalid query: slo: expected service or slo, not both', fields: [{ path: 'slo', message: 'expected service or slo, not both' }] } });
  });
});

describe('gate overrides and log over HTTP', () => {
  it('records an override with the write scope, which then allows the denied service', async () => {
    store({}, 'checkout-availability');
    const body = { service: 'checkout', reason: 'rollback of 1.4.0', for: '15m' };
    expect((await app.inject({ method: 'POST', url: '/api/v1/gate/overrides', payload: body })).statusCode).toBe(401);
    const readOnly = await app.inject({ method: 'POST', url: '/api/v1/gate/overrides', headers: read, payload: body });
    expect([readOnly.statusCode, readOnly.json()]).toEqual([403, { error: { code: 'forbidden', message: 'token "ci-reader" has no write scope' } }]);

    const created = await app.inject({ method: 'POST', url: '/api/v1/gate/overrides', headers: write, payload: body });
    expect(created.statusCode).toBe(201);
    const override = created.json<{ id: string }>();
    expect(override).toMatchObject({ service: 'checkout', slo: null, author: 'release-bot', reason: 'rollback of 1.4.0', createdAt: '2026-11-02T12:00:00Z', expiresAt: '2026-11-02T12:15:00Z' });
    const answer = (await app.inject({ url: '/api/v1/gate?service=checkout', headers: read })).json<{ verdict: string; overridden: boolean; override: { id: string } }>();
    expect(answer).toMatchObject({ verdict: 'allow', overridden: true, override: { id: override.id } });
    expect((await app.inject({ url: '/api/v1/gate/overrides', headers: read })).json()).toEqual({ overrides: [override] });
    clock.advance(15 * 60);
    // Expired, and the page still open: deny again (the evaluations are stale by now, the page is not).
    const after = (await app.inject({ url: '/api/v1/gate?service=checkout', headers: read })).json<{ verdict: string; overridden: boolean }>();
    expect(after).toMatchObject({ verdict: 'deny', overridden: false });
  });

  it('rejects invalid overrides with 400 and unknown targets with 404', async () => {
    const post = (payload: unknown) => app.inject({ method: 'POST', url: '/api/v1/gate/overrides', headers: { ...write, 'content-type': 'application/json' }, payload: JSON.stringify(payload) });
    expect((await post({ reason: 'x' })).json()).toEqual({ error: { code: 'invalid_override', message: 'invalid override: expected exactly one of service or slo' } });
    expect((await post({ service: 'checkout', slo: 'checkout-latency', reason: 'x' })).statusCode).toBe(400);
    expect((await post({ service: 'checkout', reason: 'x', for: '1y' })).statusCode).toBe(400);
    expect((await post([1, 2])).statusCode).toBe(400);
    const unknown = await post({ slo: 'payments-latency', reason: 'x' });
    expect([unknown.statusCode, unknown.json<{ error: { code: string } }>().error.code]).toEqual([404, 'unknown_slo']);
    const malformed = await app.inject({ method: 'POST', url: '/api/v1/gate/overrides', headers: { ...write, 'content-type': 'application/json' }, payload: '{"service":' });
    expect([malformed.statusCode, malformed.json<{ error: { code: string } }>().error.code]).toEqual([400, 'invalid_json']);
    const big = await post({ service: 'checkout', reason: 'x'.repeat(20_000) });
    expect([big.statusCode, big.json<{ error: { code: string } }>().error.code]).toEqual([413, 'body_too_large']);
  });

  it('records each decision with the token that asked; GET /api/v1/gate/log lists them', async () => {
    store();
    await app.inject({ url: '/api/v1/gate?service=checkout', headers: read });
    clock.advance(60);
    await app.inject({ url: '/api/v1/gate?slo=search-availability', headers: write });
    const log = await app.inject({ url: '/api/v1/gate/log?service=checkout&since=1h', headers: read });
    expect(log.statusCode).toBe(200);
    const { decisions } = log.json<{ decisions: Array<{ requester: string; asked: string; verdict: string; at: string; slos: Array<{ slo: string; budgetRemainingPercent: number }> }> }>();
    expect(decisions.map((d) => [d.at, d.requester, d.asked, d.verdict])).toEqual([['2026-11-02T12:00:00Z', 'ci-reader', 'service checkout', 'allow']]);
    expect(decisions[0]!.slos.map((s) => [s.slo, s.budgetRemainingPercent])).toEqual([['checkout-availability', 80], ['checkout-latency', 80]]);
    const all = (await app.inject({ url: '/api/v1/gate/log?limit=10', headers: read })).json<{ decisions: Array<{ requester: string }> }>();
    expect(all.decisions.map((d) => d.requester)).toEqual(['release-bot', 'ci-reader']);
    expect((await app.inject({ url: '/api/v1/gate/log?limit=0', headers: read })).statusCode).toBe(400);
    expect((await app.inject({ url: '/api/v1/gate/log?since=soon', headers: read })).statusCode).toBe(400);
  });
});
