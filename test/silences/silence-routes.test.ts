import Fastify, { type FastifyInstance, type InjectOptions } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import type { AccessScope, Authorize } from '../../src/daemon/auth.js';
import { silenceRoutes } from '../../src/daemon/routes/silences.js';
import { SilenceStore } from '../../src/silences/silence-store.js';
import { openDatabase, type Db } from '../../src/store/database.js';

const t0 = Date.parse('2026-11-02T09:00:00Z') / 1000;
const body = { matchers: ['slo="checkout-availability"'], duration: '1h', createdBy: 'ana', comment: 'deploy' };

const cleanup: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const done of cleanup.splice(0)) await done();
});

async function server(authorize: Authorize = () => true) {
  const db: Db = openDatabase(':memory:');
  const app: FastifyInstance = Fastify();
  const clock = new ManualClock(t0);
  const calls: Array<[string, string, AccessScope]> = [];
  let n = 0;
  await app.register(silenceRoutes, {
    store: new SilenceStore(db, { newId: () => `s${++n}` }),
    clock,
    authorize: (request, scope) => {
      calls.push([request.method, request.url, scope]);
      return authorize(request, scope);
    },
  });
  cleanup.push(
    () => app.close(),
    () => {
      db.close();
    },
  );
  return { app, clock, calls };
}

describe('silence HTTP routes', () => {
  it('POST creates (201), GET lists, DELETE expires; each asks authorize for the right scope', async () => {
    const { app, clock, calls } = await server();
    const created = await app.inject({ method: 'POST', url: '/api/v1/silences', payload: body });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toEqual({
      id: 's1',
      state: 'active',
      matchers: [{ name: 'slo', type: '=', value: 'checkout-availability' }],
      startsAt: '2026-11-02T09:00:00Z',
      endsAt: '2026-11-02T10:00:00Z',
      createdBy: 'ana',
      comment: 'deploy',
      createdAt: '2026-11-02T09:00:00Z',
      updatedAt: '2026-11-02T09:00:00Z',
    });

    const listed = await app.inject({ method: 'GET', url: '/api/v1/silences?state=active' });
    expect(listed.statusCode).toBe(200);
    expect((listed.json() as { silences: Array<{ id: string }> }).silences.map((s) => s.id)).toEqual(['s1']);

    clock.advance(300);
    const expired = await app.inject({ method: 'DELETE', url: '/api/v1/silences/s1' });
    expect(expired.statusCode).toBe(200);
    expect(expired.json()).toMatchObject({ id: 's1', state: 'expired', endsAt: '2026-11-02T09:05:00Z' });
    expect((await app.inject({ method: 'GET', url: '/api/v1/silences/s1' })).json()).toMatchObject({ state: 'expired' });
    expect((await app.inject({ method: 'GET', url: '/api/v1/silences?state=active' })).json()).toEqual({ silences: [] });

    expect(calls).toEqual([
      ['POST', '/api/v1/silences', 'write'],
      ['GET', '/api/v1/silences?state=active', 'read'],
      ['DELETE', '/api/v1/silences/s1', 'write'],
      ['GET', '/api/v1/silences/s1', 'read'],
      ['GET', '/api/v1/silences?state=active', 'read'],
    ]);
  });

  const errors: Array<[string, InjectOptions, number, { code: string; message: string; fields?: unknown[] }]> = [
    ['an invalid silence is 400', { method: 'POST', url: '/api/v1/silences', payload: { ...body, matchers: ['a=""'] } }, 400, { code: 'invalid', message: 'invalid silence: at least one matcher must not match the empty string: such a silence would mute every alert' }],
    ['a silence without author is 400', { method: 'POST', url: '/api/v1/silences', payload: { ...body, createdBy: undefined } }, 400, { code: 'invalid', message: 'invalid silence: createdBy: required' }],
    ['an unknown state filter is 400', { method: 'GET', url: '/api/v1/silences?state=old' }, 400, { code: 'invalid_query', message: 'invalid query: state: expected one of active, pending, expired, got "old"', fields: [{ path: 'state', message: 'expected one of active, pending, expired, got "old"' }] }],
    ['expiring an unknown silence is 404', { method: 'DELETE', url: '/api/v1/silences/nope' }, 404, { code: 'not_found', message: 'no silence with id nope' }],
    ['getting an unknown silence is 404', { method: 'GET', url: '/api/v1/silences/nope' }, 404, { code: 'not_found', message: 'no silence with id nope' }],
  ];
  it.each(errors)('%s', async (_, request, status, error) => {
    const { app } = await server();
    const response = await app.inject(request);
    expect(response.statusCode).toBe(status);
    expect(response.json()).toEqual({ error });
  });

  it('a malformed JSON body is a 400 JSON error', async () => {
    const { app } = await server();
    const response = await app.inject({ method: 'POST', url: '/api/v1/silences', headers: { 'content-type': 'application/json' }, payload: '{"matchers":' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: { code: 'invalid_json' } });
  });

  it('expiring an expired silence is 409', async () => {
    const { app, clock } = await server();
    await app.inject({ method: 'POST', url: '/api/v1/silences', payload: body });
    clock.advance(60);
    await app.inject({ method: 'DELETE', url: '/api/v1/silences/s1' });
    const again = await app.inject({ method: 'DELETE', url: '/api/v1/silences/s1' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toEqual({ error: { code: 'already_expired', message: 'silence s1 has already expired' } });
  });

  it('authorize refusing a write stops the request before the store is touched', async () => {
    const readOnly: Authorize = (_request, scope) => {
      if (scope === 'write') throw Object.assign(new Error('this token may only read'), { statusCode: 403, code: 'forbidden' });
    };
    const { app } = await server(readOnly);
    const refused = await app.inject({ method: 'POST', url: '/api/v1/silences', payload: body });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toEqual({ error: { code: 'forbidden', message: 'this token may only read' } });
    expect((await app.inject({ method: 'GET', url: '/api/v1/silences' })).json()).toEqual({ silences: [] });

    const { app: closed } = await server(() => false);
    const denied = await closed.inject({ method: 'GET', url: '/api/v1/silences' });
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toEqual({ error: { code: 'forbidden', message: 'read scope required' } });

    const { app: anonymous } = await server(() => {
      throw Object.assign(new Error('missing bearer token'), { statusCode: 401 });
    });
    const unauthenticated = await anonymous.inject({ method: 'DELETE', url: '/api/v1/silences/s1' });
    expect(unauthenticated.statusCode).toBe(401);
    expect(unauthenticated.json()).toEqual({ error: { code: 'unauthorized', message: 'missing bearer token' } });
  });
});
