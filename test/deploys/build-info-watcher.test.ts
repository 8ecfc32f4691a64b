import { afterEach, describe, expect, it } from 'vitest';
import type { MetricBackend, RangeQuery, Series } from '../../src/backends/backend.js';
import { createEmbeddedBackend } from '../../src/backends/embedded/embedded-backend.js';
import { BuildInfoWatcher, type BuildInfoConfig } from '../../src/deploys/build-info-watcher.js';
import { DeployStore } from '../../src/deploys/deploy-store.js';
import { openDatabase, type Db } from '../../src/store/database.js';

const t0 = Date.parse('2026-11-02T12:00:00Z') / 1000;
const minute = 60;

interface Instance {
  service: string;
  version: string;
  commit?: string;
  environment?: string;
}

/**
 * A backend answering `sum by (…) (app_build_info)` from a timeline: `running(t)` lists what runs at t.
 * It groups by the labels the query names, as Prometheus would.
 */
function timelineBackend(running: (t: number) => Instance[]): MetricBackend & { queries: RangeQuery[] } {
  const queries: RangeQuery[] = [];
  return {
    kind: 'memory',
    queries,
    async queryRange(query) {
      queries.push(query);
      const by = /^sum by \(([^)]*)\)/.exec(query.expr)![1]!.split(', ');
      type Mutable = { labels: Record<string, string>; points: Array<{ t: number; value: number }> };
      const series = new Map<string, Mutable>();
      for (let t = query.start; t <= query.end; t += query.step) {
        for (const instance of running(t)) {
          const labels = Object.fromEntries(by.map((name) => [name, (instance as unknown as Record<string, string>)[name] ?? '']).filter(([, v]) => v !== ''));
          const key = JSON.stringify(labels);
          const s: Mutable = series.get(key) ?? { labels, points: [] };
          const last = s.points.at(-1);
          if (last?.t === t) last.value += 1;
          else s.points.push({ t, value: 1 });
          series.set(key, s);
        }
      }
      return [...series.values()] satisfies Series[];
    },
    async close() {},
  };
}

let db: Db | undefined;
afterEach(() => db?.close());

function setup(running: (t: number) => Instance[], config: Partial<BuildInfoConfig> = {}) {
  db = openDatabase(':memory:');
  const store = new DeployStore(db);
  const backend = timelineBackend(running);
  const watcher = () => new BuildInfoWatcher(backend, store, { metric: 'app_build_info', ...(config.environmentLabel === undefined && { commitLabel: 'commit' }), ...config });
  return { store, backend, watcher };
}

/** Polls every `every` seconds over [from, to]; returns every deploy reported. */
async function pollEvery(watcher: BuildInfoWatcher, from: number, to: number, every: number) {
  const found = [];
  for (let at = from; at <= to; at += every) found.push(...(await watcher.poll(at)));
  return found;
}

const checkout = (version: string, commit = version === '1.0' ? 'aaaaaaa' : 'bbbbbbb'): Instance => ({ service: 'checkout', version, commit });

describe('BuildInfoWatcher', () => {
  it('a version change yields exactly one deploy, finished at the first step the new version shows', async () => {
    const change = t0 + 17 * minute + 20;
    const { store, backend, watcher } = setup((t) => [t < change ? checkout('1.0') : checkout('1.1'), { service: 'cart', version: 'c1' }]);
    const found = await pollEvery(watcher(), t0, t0 + 40 * minute, 5 * minute);
    expect(found).toEqual([
      {
        id: expect.stringMatching(/^dep_/),
        service: 'checkout',
        environment: null,
        version: '1.1',
        commit: 'bbbbbbb',
        repositoryUrl: null,
        author: null,
        startedAt: null,
        finishedAt: t0 + 18 * minute,
        url: null,
        rollbackUrl: null,
        summary: 'app_build_info: version 1.0 → 1.1',
        tags: [],
        source: 'build_info',
      },
    ]);
    expect(store.list()).toEqual(found);
    expect(backend.queries).toHaveLength(9);
    expect(backend.queries[0]).toEqual({ expr: 'sum by (service, version, commit) (app_build_info)', start: t0 - 3600, end: t0, step: 60 });
    expect(backend.queries[1]).toMatchObject({ start: t0 + minute, end: t0 + 5 * minute });
  });

  it('no change yields no deploy, and a service seen for the first time sets the baseline only', async () => {
    const { store, watcher } = setup(() => [checkout('1.0')]);
    expect(await pollEvery(watcher(), t0, t0 + 3 * 3600, 10 * minute)).toEqual([]);
    expect(store.list()).toEqual([]);
  });

  it('a restarted watcher rescans its lookback without recording the same deploy again', async () => {
    const change = t0 + 10 * minute;
    const { store, watcher } = setup((t) => [checkout(t < change ? '1.0' : '1.1')]);
    expect(await pollEvery(watcher(), t0, t0 + 20 * minute, 5 * minute)).toHaveLength(1);
    const restarted = watcher();
    expect(await pollEvery(restarted, t0 + 25 * minute, t0 + 60 * minute, 5 * minute)).toEqual([]);
    expect(store.list().map((d) => [d.version, d.finishedAt])).toEqual([['1.1', change]]);
  });

  it('a restart that starts mid-rollout of an already recorded version records nothing', async () => {
    const change = t0 + 10 * minute;
    const rolloutEnd = t0 + 80 * minute;
    const running = (t: number) => (t < change ? [checkout('1.0')] : t < rolloutEnd ? [checkout('1.0'), checkout('1.1')] : [checkout('1.1')]);
    const { store, watcher } = setup(running);
    expect(await pollEvery(watcher(), t0, t0 + 20 * minute, 5 * minute)).toHaveLength(1);
    expect(await pollEvery(watcher(), t0 + 75 * minute, t0 + 120 * minute, 5 * minute)).toEqual([]);
    expect(store.list()).toHaveLength(1);
  });

  it('a change while the watcher was down longer than its lookback is recorded at the first step seen', async () => {
    const { store, watcher } = setup((t) => [checkout(t < t0 + 600 ? '1.0' : '1.1')]);
    await watcher().poll(t0);
    expect(store.list()).toEqual([]);
    store.record({ service: 'checkout', version: '1.0', finishedAt: t0 - 7200 }, t0);
    const found = await watcher().poll(t0 + 5 * 3600);
    expect(found.map((d) => [d.version, d.finishedAt])).toEqual([['1.1', t0 + 4 * 3600]]);
  });

  it('a version CI already recorded through the API is not recorded again', async () => {
    const change = t0 + 10 * minute;
    const { store, watcher } = setup((t) => [checkout(t < change ? '1.0' : '1.1')]);
    const w = watcher();
    await w.poll(t0);
    store.record({ service: 'checkout', version: '1.1', finishedAt: change - 45 }, t0);
    expect(await pollEvery(w, t0 + 5 * minute, t0 + 30 * minute, 5 * minute)).toEqual([]);
    expect(store.list().map((d) => d.source)).toEqual(['api']);
  });

  it('a rolling deploy (both versions side by side) is one deploy, at the first step of the new version', async () => {
    const { watcher } = setup((t) => (t < t0 + 600 ? [checkout('1.0')] : t < t0 + 1200 ? [checkout('1.0'), checkout('1.1')] : [checkout('1.1')]));
    const found = await pollEvery(watcher(), t0, t0 + 3600, 3 * minute);
    expect(found.map((d) => [d.version, d.finishedAt])).toEqual([['1.1', t0 + 600]]);
  });

  it('a rollout and its rollback are two deploys', async () => {
    const { watcher } = setup((t) => [checkout(t >= t0 + 600 && t < t0 + 1500 ? '1.1' : '1.0')]);
    const found = await pollEvery(watcher(), t0, t0 + 3600, 7 * minute);
    expect(found.map((d) => [d.version, d.commit, d.finishedAt])).toEqual([
      ['1.1', 'bbbbbbb', t0 + 600],
      ['1.0', 'aaaaaaa', t0 + 1500],
    ]);
  });

  it('a gap in the metric (the service briefly down) is not a deploy when it comes back on the same version', async () => {
    const { watcher } = setup((t) => (t >= t0 + 600 && t < t0 + 900 ? [] : [checkout('1.0')]));
    expect(await pollEvery(watcher(), t0, t0 + 3600, 5 * minute)).toEqual([]);
  });

  it('a recreate deploy (the service absent for a while, then on a new version) is one deploy when the new version shows', async () => {
    const { watcher } = setup((t) => (t < t0 + 600 ? [checkout('1.0')] : t < t0 + 780 ? [] : [checkout('1.1')]));
    const found = await pollEvery(watcher(), t0, t0 + 3600, 5 * minute);
    expect(found.map((d) => [d.version, d.finishedAt])).toEqual([['1.1', t0 + 780]]);
  });

  it('tracks each environment separately when the environment label is configured', async () => {
    const change = t0 + 600;
    const { watcher } = setup(
      (t) => [
        { service: 'checkout', version: t < change ? '1.0' : '1.1', environment: 'staging' },
        { service: 'checkout', version: '1.0', environment: 'production' },
      ],
      { environmentLabel: 'environment' },
    );
    const found = await pollEvery(watcher(), t0, t0 + 3600, 5 * minute);
    expect(found.map((d) => [d.environment, d.version, d.commit])).toEqual([['staging', '1.1', null]]);
  });

  it('polls twice within one step without a second query', async () => {
    const { backend, watcher } = setup(() => [checkout('1.0')]);
    const w = watcher();
    await w.poll(t0 + 5);
    await w.poll(t0 + 50);
    expect(backend.queries).toHaveLength(1);
  });

  it.each<[string, Partial<BuildInfoConfig>, RegExp]>([
    ['a metric that is not a name', { metric: 'rate(x[5m])' }, /expected a metric name/],
    ['a label that is not a name', { versionLabel: 'app-version' }, /expected a label name, got "app-version"/],
    ['a zero step', { step: 0 }, /step must be positive/],
  ])('rejects a config with %s', (_name, config, message) => {
    const { backend, store } = setup(() => []);
    expect(() => new BuildInfoWatcher(backend, store, { metric: 'app_build_info', ...config })).toThrow(message);
  });
});

describe('BuildInfoWatcher over the embedded store', () => {
  /** Two instances scraped every 15 s; instance b switches to 2.0 at `changeB`, a at `changeA`. */
  function samples(from: number, to: number, changeA: number, changeB: number): string {
    const lines: string[] = [];
    for (let t = from; t <= to; t += 15) {
      for (const [instance, change] of [['a', changeA], ['b', changeB]] as const) {
        const [version, commit] = t < change ? ['1.9', '1111111'] : ['2.0', '2222222'];
        lines.push(`app_build_info{service="search",instance="${instance}",version="${version}",revision="${commit}"} 1 ${t * 1000}`);
      }
    }
    return lines.join('\n') + '\n';
  }

  it('finds one deploy where the version label changes, and none on a restart or without a change', async () => {
    db = openDatabase(':memory:');
    const backend = createEmbeddedBackend(db);
    const store = new DeployStore(db);
    const changeB = t0 + 20 * minute + 7;
    backend.ingest(samples(t0 - 2 * 3600, t0 + 2 * 3600, t0 + 23 * minute, changeB));
    const config: BuildInfoConfig = { metric: 'app_build_info', commitLabel: 'revision' };

    const watcher = new BuildInfoWatcher(backend, store, config);
    const found = [];
    for (let at = t0 - 30 * minute; at <= t0 + 90 * minute; at += 10 * minute) found.push(...(await watcher.poll(at)));
    expect(found.map((d) => [d.service, d.version, d.commit, d.finishedAt, d.source])).toEqual([['search', '2.0', '2222222', t0 + 21 * minute, 'build_info']]);

    expect(await new BuildInfoWatcher(backend, store, config).poll(t0 + 60 * minute)).toEqual([]);
    expect(await new BuildInfoWatcher(backend, store, config).poll(t0 + 20 * minute)).toEqual([]);
    expect(store.list()).toHaveLength(1);
  });
});
