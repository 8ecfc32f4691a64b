import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { DeployStore } from '../../src/deploys/deploy-store.js';
import { AlertStore } from '../../src/alerting/alert-store.js';
import { DaemonMetrics } from '../../src/daemon/metrics.js';
import { SilenceStore } from '../../src/silences/silence-store.js';
import { buildHttpServer } from '../../src/daemon/http-server.js';
import type { AccessScope as Scope } from '../../src/daemon/auth.js';
import { deployRoutes } from '../../src/daemon/routes/deploys.js';
import { silentLogger } from '../../src/log.js';
import { EvaluationStore } from '../../src/engine/evaluation-store.js';
import { openDatabase, type Db } from '../../src/store/database.js';

const now = Date.parse('2026-11-02T12:00:00Z') / 1000;

class AuthError extends Error {
  constructor(
    readonly statusCode: 401 | 403,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Token `w` may write and read, `r` may only read; `x-deny: 1` refuses by returning false. */
function authorize(request: FastifyRequest, scope: Scope): boolean | void {
  const header = request.headers.authorization;
  const token = header?.startsWith('Bearer ') ? header.slice(7) : undefined;
  if (token !== 'r' && token !== 'w') throw new AuthError(401, 'unauthorized', 'a bearer token is required');
  if (scope === 'write' && token !== 'w') throw new AuthError(403, 'forbidden', 'this token may not write deploys');
  if (request.headers['x-deny'] === '1') return false;
}

let db: Db | undefined;
let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  db?.close();
});

async function start(): Promise<{ app: FastifyInstance; store: DeployStore }> {
  db = openDatabase(':memory:');
  const store = new DeployStore(db);
  app = Fastify();
  await app.register(deployRoutes, { store, clock: new ManualClock(now), authorize });
  await app.ready();
  return { app, store };
}

const write = { authorization: 'Bearer w' };
const body = { service: 'checkout', environment: 'production', version: '1.4.0', commit: 'abc1234', finishedAt: now - 60 };

describe('POST /api/v1/deploys', () => {
  it('records a deploy (201), then answers the same deploy with the stored event (200)', async () => {
    const { app, store } = await start();
    const first = await app.inject({ method: 'POST', url: '/api/v1/deploys', headers: write, payload: body });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toEqual({
      id: expect.stringMatching(/^dep_/),
      ...body,
      repositoryUrl: null,
      author: null,
      startedAt: null,
      url: null,
      rollbackUrl: null,
      summary: null,
      tags: [],
      source: 'api',
    });
    const retry = await app.inject({ method: 'POST', url: '/api/v1/deploys', headers: write, payload: body });
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual(first.json());
    expect(store.list()).toHaveLength(1);
  });

  it('rejects an invalid deploy with 400 and field-level errors', async () => {
    const { app, store } = await start();
    const response = await app.inject({ method: 'POST', url: '/api/v1/deploys', headers: write, payload: { service: 'Checkout', commit: 'main' } });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: {
        code: 'invalid_deploy',
        message: expect.stringMatching(/^invalid deploy: service: expected .*; commit: expected a commit hash/),
        fields: [
          { path: 'service', message: expect.stringMatching(/got "Checkout"$/) },
          { path: 'commit', message: 'expected a commit hash of 7 to 40 hexadecimal digits, got "main"' },
        ],
      },
    });
    expect(store.list()).toEqual([]);
  });

  it.each<[string, Record<string, string>, number, string]>([
    ['no token is 401', {}, 401, 'unauthorized'],
    ['an unknown token is 401', { authorization: 'Bearer x' }, 401, 'unauthorized'],
    ['a read-only token is 403', { authorization: 'Bearer r' }, 403, 'forbidden'],
    ['an authorizer that returns false is 403', { authorization: 'Bearer w', 'x-deny': '1' }, 403, 'forbidden'],
    ['an unauthenticated oversized body is 401, not 413', { authorization: 'Bearer x', 'x-big': '1' }, 401, 'unauthorized'],
  ])('%s, as JSON, and records nothing', async (_name, headers, status, code) => {
    const { app, store } = await start();
    const payload = headers['x-big'] === '1' ? { ...body, summary: 'x'.repeat(100 * 1024) } : body;
    const response = await app.inject({ method: 'POST', url: '/api/v1/deploys', headers, payload });
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toEqual({ error: { code, message: expect.any(String) } });
    if (status === 401) expect(response.headers['www-authenticate']).toBe('Bearer');
    expect(store.list()).toEqual([]);
  });

  it('refuses a body over 64 KiB with 413 as JSON', async () => {
    const { app } = await start();
    const payload = JSON.stringify({ ...body, summary: 'x'.repeat(70 * 1024) });
    const response = await app.inject({ method: 'POST', url: '/api/v1/deploys', headers: { ...write, 'content-type': 'application/json' }, payload });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toEqual({ error: { code: 'body_too_large', message: 'the body exceeds the limit of 64 KiB' } });
  });

  it('accepts a body just under 64 KiB up to validation (the summary limit then applies)', async () => {
    const { app } = await start();
    const payload = JSON.stringify({ ...body, summary: 'x'.repeat(60 * 1024) });
    const response = await app.inject({ method: 'POST', url: '/api/v1/deploys', headers: { ...write, 'content-type': 'application/json' }, payload });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.fields).toEqual([{ path: 'summary', message: `expected a summary of at most 2000 characters, got ${60 * 1024}` }]);
  });

  it('answers malformed JSON with 400 as JSON', async () => {
    const { app } = await start();
    const response = await app.inject({ method: 'POST', url: '/api/v1/deploys', headers: { ...write, 'content-type': 'application/json' }, payload: '{"service": ' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: { code: 'invalid_json', message: expect.any(String) } });
  });

  it('answers a non-JSON content type with 415 as JSON', async () => {
    const { app } = await start();
    const response = await app.inject({ method: 'POST', url: '/api/v1/deploys', headers: { ...write, 'content-type': 'text/csv' }, payload: 'service,checkout' });
    expect(response.statusCode).toBe(415);
    expect(response.json()).toEqual({ error: { code: 'unsupported_media_type', message: expect.any(String) } });
  });
});

describe('GET /api/v1/deploys', () => {
  async function seeded() {
    const started = await start();
    for (let i = 0; i < 4; i++) started.store.record({ service: 'checkout', version: `v${i}`, finishedAt: now - 3600 * (4 - i) }, now);
    started.store.record({ service: 'cart', version: 'c1', finishedAt: now - 60 }, now);
    return started;
  }

  it('lists newest first for read and write tokens, filtered by service, time and limit', async () => {
    const { app } = await seeded();
    const all = await app.inject({ url: '/api/v1/deploys', headers: { authorization: 'Bearer r' } });
    expect(all.statusCode).toBe(200);
    expect(all.json().deploys.map((d: { version: string }) => d.version)).toEqual(['c1', 'v3', 'v2', 'v1', 'v0']);
    const filtered = await app.inject({ url: `/api/v1/deploys?service=checkout&from=3h&to=${now - 3600}&limit=1`, headers: write });
    expect(filtered.json().deploys.map((d: { version: string }) => d.version)).toEqual(['v3']);
    const since = await app.inject({ url: '/api/v1/deploys?from=2026-11-02T09:30:00Z', headers: write });
    expect(since.json().deploys.map((d: { version: string }) => d.version)).toEqual(['c1', 'v3', 'v2']);
  });

  it('needs a token', async () => {
    const { app } = await seeded();
    const response = await app.inject({ url: '/api/v1/deploys' });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('unauthorized');
  });

  it('rejects bad parameters with 400 naming each', async () => {
    const { app } = await seeded();
    const response = await app.inject({ url: '/api/v1/deploys?service=Cart&limit=0&from=yesterday&sort=asc', headers: write });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({
      code: 'invalid_query',
      fields: [
        { path: 'service', message: 'expected a service name (lowercase a-z, 0-9 and "-"), got "Cart"' },
        { path: 'limit', message: 'expected a whole number from 1 to 1000, got "0"' },
        { path: 'from', message: expect.stringMatching(/^expected a duration back from now .*got "yesterday"$/) },
        { path: 'sort', message: 'unknown parameter "sort": allowed parameters: service, from, to, limit' },
      ],
    });
  });
});

describe('deploy routes on the daemon server', () => {
  it('keep their JSON answers and 64 KiB limit beside the daemon-wide 32 MiB limit and text parser', async () => {
    db = openDatabase(':memory:');
    const store = new DeployStore(db);
    app = buildHttpServer({
      slos: [],
      store: new EvaluationStore(db),
      embedded: undefined,
      ready: () => true,
      log: silentLogger,
      clock: new ManualClock(now),
      authorize,
      metrics: new DaemonMetrics(),
      deploys: store,
      silences: new SilenceStore(db),
      alerts: new AlertStore(db),
    });
    await app.ready();
    const created = await app.inject({ method: 'POST', url: '/api/v1/deploys', headers: write, payload: body });
    expect(created.statusCode).toBe(201);
    const big = await app.inject({ method: 'POST', url: '/api/v1/deploys', headers: { ...write, 'content-type': 'application/json' }, payload: JSON.stringify({ ...body, summary: 'x'.repeat(70 * 1024) }) });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('body_too_large');
    const text = await app.inject({ method: 'POST', url: '/api/v1/deploys', headers: { ...write, 'content-type': 'text/plain' }, payload: 'service=checkout' });
    expect(text.statusCode).toBe(415);
    expect(text.json().error.code).toBe('unsupported_media_type');
    expect((await app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
  });
});
