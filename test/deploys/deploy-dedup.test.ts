import { afterEach, describe, expect, it } from 'vitest';
import type { DeployInput } from '../../src/deploys/deploy-input.js';
import { DeployStore, type DeployStoreOptions } from '../../src/deploys/deploy-store.js';
import { bodyFingerprint, IdempotencyKeyReused, parseIdempotencyKey } from '../../src/deploys/idempotency-key.js';
import { openDatabase, type Db } from '../../src/store/database.js';

const t0 = Date.parse('2026-11-02T12:00:00Z') / 1000;
let db: Db | undefined;
afterEach(() => db?.close());

function newStore(options: DeployStoreOptions = {}): DeployStore {
  db = openDatabase(':memory:');
  return new DeployStore(db, options);
}

const fields = { service: 'checkout', environment: 'production', version: '1.4.0', commit: 'abc1234' };
/** A CI call without a finish time, recorded at `at`: the finish time is the recording time. */
const call = (at: number, over: Partial<DeployInput> = {}): DeployInput => ({ ...fields, finishedAt: at, ...over });
const defaulted = { finishTimeDefaulted: true };

describe('DeployStore: a deploy recorded again without a finish time, within the dedup window', () => {
  it('two identical calls 7 s apart are one deploy, answered with the first', () => {
    const store = newStore();
    const first = store.save(call(t0), t0, 'api', defaulted);
    const retry = store.save(call(t0 + 7), t0 + 7, 'api', defaulted);
    expect(first).toMatchObject({ created: true, match: 'new' });
    expect(retry).toEqual({ event: first.event, created: false, match: 'recent' });
    expect(store.list()).toHaveLength(1);
  });

  it.each<[string, DeployStoreOptions, number, 'recent' | 'new']>([
    ['the default window (10m) still matches at exactly 10 minutes', {}, 600, 'recent'],
    ['the default window does not match one second later', {}, 601, 'new'],
    ['a configured 2m window does not match 3 minutes later', { dedupWindow: 120 }, 180, 'new'],
    ['a configured 1h window matches 50 minutes later', { dedupWindow: 3600 }, 3000, 'recent'],
    ['a window of 0 turns matching off, even 7 s later', { dedupWindow: 0 }, 7, 'new'],
  ])('%s', (_name, options, later, match) => {
    const store = newStore(options);
    store.save(call(t0), t0, 'api', defaulted);
    expect(store.save(call(t0 + later), t0 + later, 'api', defaulted).match).toBe(match);
    expect(store.list()).toHaveLength(match === 'new' ? 2 : 1);
  });

  it.each<[string, Partial<DeployInput>]>([
    ['another version', { version: '1.4.1' }],
    ['another commit', { commit: 'abc1235' }],
    ['no commit', { commit: null }],
    ['another environment', { environment: 'staging' }],
    ['another service', { service: 'cart' }],
  ])('a call with %s is a new deploy', (_name, change) => {
    const store = newStore();
    store.save(call(t0), t0, 'api', defaulted);
    expect(store.save(call(t0 + 7, change), t0 + 7, 'api', defaulted)).toMatchObject({ created: true, match: 'new' });
  });

  it('matches across the API and the CLI, and keeps the first call’s other fields', () => {
    const store = newStore();
    const first = store.save(call(t0, { summary: 'first try' }), t0, 'cli', defaulted);
    const retry = store.save(call(t0 + 30, { summary: 'second try' }), t0 + 30, 'api', defaulted);
    expect(retry.event).toEqual(first.event);
    expect(store.list()[0]?.summary).toBe('first try');
  });

  it('matches a deploy recorded with an explicit finish time inside the window', () => {
    const store = newStore();
    const explicit = store.save(call(t0 - 120), t0, 'api');
    expect(store.save(call(t0 + 7), t0 + 7, 'api', defaulted)).toEqual({ event: explicit.event, created: false, match: 'recent' });
  });

  it('never merges two explicit finish times: those say when each deploy landed', () => {
    const store = newStore();
    store.save(call(t0), t0, 'api');
    expect(store.save(call(t0 + 7), t0 + 7, 'api').match).toBe('new');
    expect(store.list()).toHaveLength(2);
  });

  it('is not absorbed by a build_info detection of the same version: CI’s record carries author, url and summary', () => {
    const store = newStore();
    store.save(call(t0 - 60), t0 - 30, 'build_info');
    expect(store.save(call(t0, { author: 'ana' }), t0, 'api', defaulted).match).toBe('new');
  });
});

describe('DeployStore: Idempotency-Key', () => {
  const body = { ...fields };
  const claim = (key: string, sent: unknown = body) => ({ idempotency: { key, fingerprint: bodyFingerprint(sent) }, ...defaulted });

  it('the same key and body answer the deploy first recorded, even outside the dedup window', () => {
    const store = newStore();
    const first = store.save(call(t0), t0, 'api', claim('run-7'));
    expect(store.save(call(t0 + 3600), t0 + 3600, 'api', claim('run-7'))).toEqual({ event: first.event, created: false, match: 'idempotency-key' });
    expect(store.list()).toHaveLength(1);
  });

  it('the same key with another body is refused and stores nothing', () => {
    const store = newStore();
    const first = store.save(call(t0), t0, 'api', claim('run-7'));
    const other = { ...body, version: '1.5.0' };
    expect(() => store.save(call(t0 + 7, { version: '1.5.0' }), t0 + 7, 'api', claim('run-7', other))).toThrow(IdempotencyKeyReused);
    expect(() => store.save(call(t0 + 7, { version: '1.5.0' }), t0 + 7, 'api', claim('run-7', other))).toThrow(
      `Idempotency-Key "run-7" was used for another request body (deploy ${first.event.id}); send a new key for a new deploy`,
    );
    expect(store.list()).toHaveLength(1);
  });

  it('a new key for the same deploy within the window matches it (and the key then names it)', () => {
    const store = newStore();
    const first = store.save(call(t0), t0, 'api', claim('run-7'));
    expect(store.save(call(t0 + 7), t0 + 7, 'api', claim('run-7-retry')).match).toBe('recent');
    expect(store.save(call(t0 + 7200), t0 + 7200, 'api', claim('run-7-retry')).event).toEqual(first.event);
  });

  it('a key is forgotten after 24 hours: the same request is then new', () => {
    const store = newStore();
    store.save(call(t0), t0, 'api', claim('run-7'));
    expect(store.save(call(t0 + 86_401), t0 + 86_401, 'api', claim('run-7')).match).toBe('new');
    expect(store.list()).toHaveLength(2);
  });

  it('keys survive a new store over the same database (a daemon restart)', () => {
    const store = newStore();
    const first = store.save(call(t0), t0, 'api', claim('run-7'));
    expect(new DeployStore(db!).save(call(t0 + 3600), t0 + 3600, 'api', claim('run-7')).event).toEqual(first.event);
  });
});

describe('Idempotency-Key parsing and body fingerprints', () => {
  it.each<[string, string | string[] | undefined, ReturnType<typeof parseIdempotencyKey>]>([
    ['no header is no key', undefined, { ok: true, key: undefined }],
    ['a UUID is a key', '9b2f3c1e-6c1a-4d8e-9a57-0f3b8e1d2c4a', { ok: true, key: '9b2f3c1e-6c1a-4d8e-9a57-0f3b8e1d2c4a' }],
    ['an empty header is refused', '', { ok: false, message: 'expected an Idempotency-Key of 1 to 255 visible ASCII characters (a UUID, say), got ""' }],
    ['a key with a space is refused', 'run 7', { ok: false, message: 'expected an Idempotency-Key of 1 to 255 visible ASCII characters (a UUID, say), got "run 7"' }],
    ['a key of 256 characters is refused', 'k'.repeat(256), { ok: false, message: `expected an Idempotency-Key of 1 to 255 visible ASCII characters (a UUID, say), got "${'k'.repeat(40)}"` }],
    ['two headers are refused', ['a', 'b'], { ok: false, message: 'expected one Idempotency-Key header, got 2' }],
  ])('%s', (_name, header, expected) => {
    expect(parseIdempotencyKey(header)).toEqual(expected);
  });

  it('a body is the same whatever the order of its fields, and differs when a value does', () => {
    expect(bodyFingerprint({ service: 'a', tags: { x: '1', y: '2' } })).toBe(bodyFingerprint({ tags: { y: '2', x: '1' }, service: 'a' }));
    expect(bodyFingerprint({ service: 'a', tags: ['x', 'y'] })).not.toBe(bodyFingerprint({ service: 'a', tags: ['y', 'x'] }));
    expect(bodyFingerprint({ service: 'a' })).not.toBe(bodyFingerprint({ service: 'b' }));
  });
});
