import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { DeployStore, type DeployStoreOptions } from '../../src/deploys/deploy-store.js';
import { deployRoutes } from '../../src/daemon/routes/deploys.js';
import { openDatabase, type Db } from '../../src/store/database.js';

const t0 = Date.parse('2026-11-02T12:00:00Z') / 1000;

let db: Db | undefined;
let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  db?.close();
});

/** The deploy routes on a fake clock; every request may write. */
async function start(options: DeployStoreOptions = {}): Promise<{ app: FastifyInstance; store: DeployStore; clock: ManualClock }> {
  db = openDatabase(':memory:');
  const store = new DeployStore(db, options);
  const clock = new ManualClock(t0);
  app = Fastify();
  await app.register(deployRoutes, { store, clock, authorize: () => undefined });
  await app.ready();
  return { app, store, clock };
}

/** What a CI step sends: no finish time, so the server's clock supplies it. */
const body = { service: 'checkout', environment: 'production', version: '1.4.0', commit: 'abc1234', author: 'ana' };
const post = (target: FastifyInstance, payload: object, headers: Record<string, string> = {}) =>
  target.inject({ method: 'POST', url: '/api/v1/deploys', headers, payload });

describe('POST /api/v1/deploys retried by CI', () => {
  it('two identical posts 7 s apart are one deploy: 201, then 200 with the same id', async () => {
    const { app, store, clock } = await start();
    const first = await post(app, body);
    clock.advance(7);
    const retry = await post(app, body);
    expect([first.statusCode, retry.statusCode]).toEqual([201, 200]);
    expect(retry.json()).toEqual(first.json());
    expect(first.json()).toMatchObject({ finishedAt: t0 });
    expect(store.list()).toHaveLength(1);
  });

  it('the same post outside the window is a second deploy', async () => {
    const { app, store, clock } = await start({ dedupWindow: 600 });
    const first = await post(app, body);
    clock.advance(601);
    const later = await post(app, body);
    expect(later.statusCode).toBe(201);
    expect(later.json().id).not.toBe(first.json().id);
    expect(store.list()).toHaveLength(2);
  });

  it('an explicit finish time is the deploy’s identity: another one 7 s later is another deploy', async () => {
    const { app, store, clock } = await start();
    await post(app, { ...body, finishedAt: t0 - 60 });
    clock.advance(7);
    expect((await post(app, { ...body, finishedAt: t0 - 53 })).statusCode).toBe(201);
    expect((await post(app, { ...body, finishedAt: t0 - 53 })).statusCode).toBe(200);
    expect(store.list()).toHaveLength(2);
  });
});

describe('POST /api/v1/deploys with an Idempotency-Key', () => {
  it('the same key and body replay the first answer’s deploy (200, Idempotent-Replayed), hours later', async () => {
    const { app, store, clock } = await start();
    const first = await post(app, body, { 'idempotency-key': 'pipeline-81-deploy' });
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    clock.advance(3 * 3600);
    const replay = await post(app, { author: 'ana', commit: 'abc1234', version: '1.4.0', environment: 'production', service: 'checkout' }, { 'idempotency-key': 'pipeline-81-deploy' });
    expect(replay.statusCode).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(first.json());
    expect(store.list()).toHaveLength(1);
  });

  it('the same key with another body answers 422 and records nothing', async () => {
    const { app, store, clock } = await start();
    const first = await post(app, body, { 'idempotency-key': 'pipeline-81-deploy' });
    clock.advance(7);
    const reused = await post(app, { ...body, version: '1.5.0' }, { 'idempotency-key': 'pipeline-81-deploy' });
    expect(reused.statusCode).toBe(422);
    expect(reused.json()).toEqual({
      error: {
        code: 'idempotency_key_reused',
        message: `Idempotency-Key "pipeline-81-deploy" was used for another request body (deploy ${first.json().id as string}); send a new key for a new deploy`,
      },
    });
    expect(store.list().map((d) => d.version)).toEqual(['1.4.0']);
  });

  it('another key for another deploy records it', async () => {
    const { app, store } = await start();
    await post(app, body, { 'idempotency-key': 'a' });
    expect((await post(app, { ...body, version: '1.5.0' }, { 'idempotency-key': 'b' })).statusCode).toBe(201);
    expect(store.list()).toHaveLength(2);
  });

  it('an invalid key answers 400 before the body is recorded', async () => {
    const { app, store } = await start();
    const response = await post(app, body, { 'idempotency-key': 'has spaces' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_idempotency_key');
    expect(store.list()).toEqual([]);
  });

  it('an invalid body is not stored under its key: the corrected body with the same key is recorded', async () => {
    const { app, store } = await start();
    expect((await post(app, { ...body, commit: 'main' }, { 'idempotency-key': 'k' })).statusCode).toBe(400);
    expect((await post(app, body, { 'idempotency-key': 'k' })).statusCode).toBe(201);
    expect(store.list()).toHaveLength(1);
  });
});
