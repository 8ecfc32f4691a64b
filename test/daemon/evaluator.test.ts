import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { AlertStore } from '../../src/alerting/alert-store.js';
import { AlertTracker } from '../../src/alerting/alert-tracker.js';
import { createMemoryBackend } from '../../src/backends/memory-backend.js';
import { Evaluator } from '../../src/daemon/evaluator.js';
import { SqliteLedger } from '../../src/ledger/sqlite-ledger.js';
import { silentLogger } from '../../src/log.js';
import { EvaluationStore } from '../../src/engine/evaluation-store.js';
import { testSlo } from '../support/slo-fixture.js';
import { syntheticIndicator, syntheticTraffic, type Traffic } from '../support/synthetic-traffic.js';

const t0 = Date.parse('2026-11-02T00:00:00Z') / 1000;
const minute = 60;
const hour = 3600;

function setup(traffic: Traffic, names = ['a', 'b', 'c']) {
  const db = new Database(':memory:');
  const backend = createMemoryBackend({ value: syntheticTraffic(traffic) });
  const store = new EvaluationStore(db);
  const alerts = new AlertStore(db);
  const slos = names.map((name) => testSlo({ name, service: name, indicator: syntheticIndicator(name) }));
  const evaluator = new Evaluator(
    { slos, backend, ledger: new SqliteLedger(db), settings: { bucket: 60, coarseBucket: 3600, fineSpan: 4 * 86_400, lateness: 300 }, concurrency: 4 },
    store,
    { queryDelay: 0, maxCatchUpSteps: 360, history: { retention: 86_400, fullResolution: 2 * 86_400, downsampleTo: 3600 } },
    silentLogger,
    new AlertTracker(slos, alerts, { noDataAfter: 600, noDataSeverity: 'ticket' }),
  );
  return { backend, store, alerts, evaluator };
}

describe('the evaluator', () => {
  it('costs two backend queries per SLO per cycle in steady state', async () => {
    const { backend, evaluator } = setup({ rate: 10, episodes: [] });
    await evaluator.evaluateDue(t0);
    const perCycle: number[] = [];
    for (let i = 1; i <= 5; i++) {
      backend.resetCount();
      await evaluator.evaluateDue(t0 + i * minute);
      perCycle.push(backend.queryCount);
    }
    expect(perCycle).toEqual([6, 6, 6, 6, 6]);
  });

  it('evaluates once per step: a second tick in the same minute does nothing', async () => {
    const { backend, evaluator } = setup({ rate: 10, episodes: [] });
    await evaluator.evaluateDue(t0 + 5);
    backend.resetCount();
    expect(await evaluator.evaluateDue(t0 + 50)).toBeUndefined();
    expect(backend.queryCount).toBe(0);
  });

  it('one failing SLO is marked backend_error and the others are still evaluated', async () => {
    const { evaluator } = setup({ rate: 10, episodes: [], failing: ['b'] });
    const result = await evaluator.evaluateDue(t0);
    expect(result?.evaluations.map((e) => [e.slo, e.status])).toEqual([
      ['a', 'ok'],
      ['b', 'backend_error'],
      ['c', 'ok'],
    ]);
    expect(result?.evaluations[1]?.error).toMatch(/connection refused for b/);
  });

  it('a 100% burn fires the page at the first step after the predicted 52 s and resolves after the short window', async () => {
    const { evaluator } = setup({ rate: 10, episodes: [{ slo: 'a', from: t0 + 10 * minute, to: t0 + 20 * minute, ratio: 1 }] }, ['a']);
    const transitions = [];
    for (let at = t0; at <= t0 + 3 * hour; at += minute) transitions.push(...((await evaluator.evaluateDue(at))?.transitions ?? []));
    const page = transitions.filter((t) => t.kind === 'burn' && t.severity === 'page');
    expect(page.map((t) => [t.state, (t.at - t0) / minute])).toEqual([
      ['firing', 11],
      // The 6h/30m pair holds the page until its 30m short window has cooled off after the burn ended.
      ['resolved', 50],
    ]);
  });

  it('after downtime replays the missed steps, recording a burn that started and ended while it was down', async () => {
    const { evaluator, store, alerts } = setup({ rate: 10, episodes: [{ slo: 'a', from: t0 + hour, to: t0 + hour + 10 * minute, ratio: 1 }] }, ['a']);
    await evaluator.evaluateDue(t0);
    const result = await evaluator.evaluateDue(t0 + 3 * hour);
    expect(result?.replayed).toBe(179);
    const page = alerts.history(t0, t0 + 3 * hour, 'a').filter((t) => t.kind === 'burn' && t.severity === 'page');
    expect(page.map((t) => [t.state, (t.at - t0) / minute])).toEqual([
      ['firing', 61],
      ['resolved', 100],
    ]);
    expect(store.history('a', t0, t0 + 3 * hour)).toHaveLength(181);
  });

  it('a firing alert stays firing while its data is missing or its backend fails, and no data starts no burn alert', async () => {
    const traffic: Traffic = { rate: 10, episodes: [{ slo: 'a', from: t0, to: t0 + 10 * hour, ratio: 1 }] };
    const { evaluator, store, alerts } = setup(traffic, ['a']);
    await evaluator.evaluateDue(t0 + 5 * minute);
    expect([...alerts.forSlo('a').values()].find((a) => a.kind === 'burn' && a.severity === 'page')?.state).toBe('firing');
    traffic.noData = { from: t0 + 6 * minute, to: t0 + hour };
    for (let at = t0 + 6 * minute; at < t0 + 20 * minute; at += minute) await evaluator.evaluateDue(at);
    traffic.failing = ['a'];
    await evaluator.evaluateDue(t0 + 20 * minute);
    expect(alerts.history(t0, t0 + hour).filter((t) => t.kind === 'burn').map((t) => [t.severity, t.state])).toEqual([
      ['page', 'firing'],
      ['ticket', 'firing'],
    ]);
    expect(store.latest('a')?.status).toBe('backend_error');
    expect(store.latest('a')?.page).toBe('unknown');
  });
});
