import { afterEach, describe, expect, it } from 'vitest';
import { DeployStore } from '../../src/deploys/deploy-store.js';
import { precedingDeploy } from '../../src/deploys/preceding-deploy.js';
import type { DeployInput } from '../../src/deploys/deploy-input.js';
import { openDatabase, type Db } from '../../src/store/database.js';

const t0 = Date.parse('2026-11-02T12:00:00Z') / 1000;
let db: Db | undefined;
afterEach(() => db?.close());

function newStore(): DeployStore {
  db = openDatabase(':memory:');
  return new DeployStore(db);
}

const deploy = (over: Partial<DeployInput> = {}): DeployInput => ({
  service: 'checkout',
  environment: 'production',
  version: '1.4.0',
  commit: 'abc1234',
  finishedAt: t0,
  ...over,
});

describe('DeployStore', () => {
  it('stores every field and reads it back', () => {
    const store = newStore();
    const input: DeployInput = {
      ...deploy(),
      repositoryUrl: 'https://git.example.com/shop/checkout',
      author: 'ana',
      startedAt: t0 - 90,
      url: 'https://ci.example.com/runs/7',
      rollbackUrl: 'https://ci.example.com/runs/7/rollback',
      summary: 'new payment provider',
      tags: ['team:payments', 'canary'],
    };
    const event = store.record(input, t0 + 5, 'cli');
    expect(event).toEqual({ id: expect.stringMatching(/^dep_[0-9A-Z]{26}$/), ...input, source: 'cli' });
    expect(store.list()).toEqual([event]);
  });

  it('recording the same deploy twice keeps one event and returns it (CI retries)', () => {
    const store = newStore();
    const first = store.save(deploy(), t0);
    const again = store.save({ ...deploy(), summary: 'retried step' }, t0 + 60);
    expect(first.created).toBe(true);
    expect(again).toEqual({ event: first.event, created: false, match: 'identical' });
    expect(store.list()).toHaveLength(1);
  });

  it.each<[string, Partial<DeployInput>]>([
    ['another finish time', { finishedAt: t0 + 1 }],
    ['another commit', { commit: 'abc1235' }],
    ['no commit', { commit: null }],
    ['another environment', { environment: 'staging' }],
    ['no environment', { environment: null }],
    ['another version', { version: '1.4.1' }],
    ['another service', { service: 'cart' }],
  ])('a deploy that differs by %s is a new event', (_name, change) => {
    const store = newStore();
    store.record(deploy(), t0);
    expect(store.save(deploy(change), t0).created).toBe(true);
    expect(store.list()).toHaveLength(2);
  });

  it('ids sort by recording time', () => {
    const store = newStore();
    const a = store.record(deploy({ version: 'a' }), t0);
    const b = store.record(deploy({ version: 'b' }), t0 + 0.002);
    const c = store.record(deploy({ version: 'c' }), t0 + 3600);
    expect([c.id, a.id, b.id].sort()).toEqual([a.id, b.id, c.id]);
  });

  it('lists newest first, filtered by service and finish time, limited', () => {
    const store = newStore();
    for (let i = 0; i < 5; i++) store.record(deploy({ version: `v${i}`, finishedAt: t0 + i * 60 }), t0);
    store.record(deploy({ service: 'cart', finishedAt: t0 + 30 }), t0);
    expect(store.list().map((d) => d.version)).toEqual(['v4', 'v3', 'v2', 'v1', '1.4.0', 'v0']);
    expect(store.list({ service: 'checkout', from: t0 + 60, to: t0 + 180 }).map((d) => d.version)).toEqual(['v3', 'v2', 'v1']);
    expect(store.list({ limit: 2 }).map((d) => d.version)).toEqual(['v4', 'v3']);
    expect(store.list({ service: 'search' })).toEqual([]);
  });

  describe('preceding: the latest deploy of the services within the lookback before the burn', () => {
    const burn = t0 + 7200;
    const lookback = 3600;
    it.each<[string, number, boolean]>([
      ['a deploy at the burn start counts', burn, true],
      ['a deploy exactly one lookback before counts', burn - lookback, true],
      ['a deploy just outside the lookback does not', burn - lookback - 1, false],
      ['a deploy after the burn start does not', burn + 1, false],
    ])('%s', (_name, finishedAt, found) => {
      const store = newStore();
      const event = store.record(deploy({ finishedAt }), t0);
      expect(store.preceding(['checkout'], null, burn, lookback)).toEqual(found ? event : undefined);
    });

    it('picks the latest among the SLO service and its related services', () => {
      const store = newStore();
      store.record(deploy({ finishedAt: burn - 3000 }), t0);
      const related = store.record(deploy({ service: 'payments-db', version: '15.2', finishedAt: burn - 600 }), t0);
      store.record(deploy({ service: 'search', finishedAt: burn - 60 }), t0);
      expect(store.preceding(['checkout', 'payments-db'], null, burn, lookback)).toEqual(related);
      expect(store.preceding(['checkout'], null, burn, lookback)?.finishedAt).toBe(burn - 3000);
      expect(store.preceding([], null, burn, lookback)).toBeUndefined();
    });

    it('filters by environment when given; null matches every environment', () => {
      const store = newStore();
      const production = store.record(deploy({ finishedAt: burn - 600 }), t0);
      const staging = store.record(deploy({ environment: 'staging', finishedAt: burn - 60 }), t0);
      expect(store.preceding(['checkout'], 'production', burn, lookback)).toEqual(production);
      expect(store.preceding(['checkout'], 'staging', burn, lookback)).toEqual(staging);
      expect(store.preceding(['checkout'], null, burn, lookback)).toEqual(staging);
      expect(store.preceding(['checkout'], 'qa', burn, lookback)).toBeUndefined();
    });
  });

  it('latestVersion: the newest deploy that names a version, by environment, time and source', () => {
    const store = newStore();
    expect(store.latestVersion('checkout', null)).toBeUndefined();
    store.record(deploy({ version: '1.0', finishedAt: t0 }), t0, 'build_info');
    store.record(deploy({ version: '1.1', finishedAt: t0 + 60 }), t0);
    store.record(deploy({ version: null, finishedAt: t0 + 120 }), t0);
    store.record(deploy({ version: '2.0-rc', environment: 'staging', finishedAt: t0 + 180 }), t0);
    expect(store.latestVersion('checkout', null)).toBe('2.0-rc');
    expect(store.latestVersion('checkout', 'production')).toBe('1.1');
    expect(store.latestVersion('checkout', 'production', { atOrBefore: t0 + 59 })).toBe('1.0');
    expect(store.latestVersion('checkout', null, { source: 'build_info' })).toBe('1.0');
  });

  it('migrates once: a second store over the same database keeps the events', () => {
    const store = newStore();
    store.record(deploy(), t0);
    expect(new DeployStore(db!).list()).toHaveLength(1);
  });
});

describe('precedingDeploy', () => {
  it('names the deploy and how long before the burn it landed, or says none was found in the lookback', () => {
    const store = newStore();
    const event = store.record(deploy({ service: 'payments-db', finishedAt: t0 - 900 }), t0);
    expect(precedingDeploy(store, { service: 'checkout', related: ['payments-db'], burnStart: t0, lookback: 3600 })).toEqual({ found: true, deploy: event, beforeBurn: 900 });
    expect(precedingDeploy(store, { service: 'checkout', burnStart: t0, lookback: 3600 })).toEqual({ found: false, lookback: 3600 });
    expect(precedingDeploy(store, { service: 'checkout', related: ['payments-db'], environment: 'staging', burnStart: t0, lookback: 3600 })).toEqual({ found: false, lookback: 3600 });
  });
});
