import { describe, expect, it } from 'vitest';
import type { WindowCounts } from '../../src/core/burn-rate.js';
import { EvaluationStore } from '../../src/engine/evaluation-store.js';
import { evaluateSlo, type SloEvaluation } from '../../src/engine/slo-evaluation.js';
import { alertWindows } from '../../src/engine/slo-windows.js';
import { migrate, openDatabase, type Db } from '../../src/store/database.js';
import { testSlo } from '../support/slo-fixture.js';

const minute = 60;
const t0 = Date.parse('2026-11-02T12:00:00Z') / 1000;
const slo = testSlo({ name: 'checkout-availability', service: 'checkout' });
const other = testSlo({ name: 'search-availability', service: 'search' });

/** An evaluation at `at` with every window at `ratio` (or a backend failure). */
function evaluation(s = slo, at = t0, ratio = 0.002, failure?: string): SloEvaluation {
  const counts = (seconds: number): WindowCounts => ({ errors: ratio * 10 * seconds, total: 10 * seconds, coverage: 1 });
  return evaluateSlo(s, at, new Map(alertWindows(s).map((w) => [w, counts(w)])), counts(s.window), failure);
}

const pageState = (e: SloEvaluation) => e.severities.find((s) => s.severity === 'page')!.state;

describe('EvaluationStore', () => {
  it('reads back the latest evaluation whole, and history as its figures, oldest first', () => {
    const store = new EvaluationStore(openDatabase(':memory:'));
    const steps = [0, 1, 2].map((i) => evaluation(slo, t0 + i * minute, 0.001 * (i + 1)));
    store.recordCycle(steps);
    store.recordCycle([evaluation(other, t0, 0.05)]);
    const latest = store.latest(slo.name)!;
    expect(latest).toMatchObject({ slo: slo.name, t: t0 + 2 * minute, status: 'ok', errorRatio: steps[2]!.budget.errorRatio, page: pageState(steps[2]!) });
    expect(latest.detail.windows).toEqual(JSON.parse(JSON.stringify(steps[2]!.windows)));
    const history = store.history(slo.name, t0, t0 + 2 * minute);
    expect(history.map((p) => [p.t, p.budgetRemaining, p.page, p.ticket])).toEqual(steps.map((e) => [e.at, e.budget.remaining, e.severities.find((s) => s.severity === 'page')!.state, e.severities.find((s) => s.severity === 'ticket')!.state]));
    expect(history[0]).not.toHaveProperty('detail');
    expect(store.latest(other.name)!.budgetRemaining).toBeCloseTo(-49, 9);
  });

  it('keeps the latest when an earlier step is replayed, and knows the newest step that read its data', () => {
    const store = new EvaluationStore(openDatabase(':memory:'));
    store.recordCycle([evaluation(slo, t0), evaluation(slo, t0 + minute, 0.002, 'backend down'), evaluation(slo, t0 + 2 * minute, 0.002, 'backend down')]);
    expect(store.lastEvaluationTime()).toBe(t0 + 2 * minute);
    expect(store.lastGoodEvaluationTime()).toBe(t0);
    // The replay of the failed step once the backend answers: history replaced, the latest stays the newest.
    store.recordCycle([evaluation(slo, t0 + minute, 0.004)]);
    expect(store.history(slo.name, t0 + minute, t0 + minute)[0]).toMatchObject({ status: 'ok', error: null });
    expect(store.latest(slo.name)).toMatchObject({ t: t0 + 2 * minute, status: 'backend_error', error: 'backend down' });
    expect(store.lastGoodEvaluationTime()).toBe(t0 + minute);
  });

  it('compacts: full resolution for the recent span, one row per step before it, nothing past the history', () => {
    const store = new EvaluationStore(openDatabase(':memory:'));
    for (let i = 0; i < 6 * 60; i += 1) store.recordCycle([evaluation(slo, t0 + i * minute), evaluation(other, t0 + i * minute)]);
    const now = t0 + 6 * 3600;
    const deleted = store.compact(now, { fullResolution: 3600, downsampleTo: 3600, keepFor: 4 * 3600 });
    const kept = store.history(slo.name, 0, now).map((p) => (p.t - t0) / minute);
    // Two hours expired, the three before the last hourly (minutes 120, 180, 240), the last hour whole.
    expect(kept).toEqual([120, 180, 240, ...Array.from({ length: 60 }, (_, i) => 300 + i)]);
    expect(deleted).toBe(2 * (360 - kept.length));
    expect(store.latest(slo.name)!.t).toBe(t0 + 359 * minute);
  });

  it('migrates the older schema: history kept, each SLO\'s newest row becomes its latest with its detail', () => {
    const db: Db = openDatabase(':memory:');
    // The evaluations component as version 3 left it.
    migrate(db, 'evaluations', [
      {
        version: 1,
        description: 'evaluation history',
        up: `CREATE TABLE evaluations (slo TEXT NOT NULL, t INTEGER NOT NULL, status TEXT NOT NULL, error TEXT, budget_remaining REAL,
          error_ratio REAL, time_to_exhaustion REAL, burn_rate REAL, coverage REAL NOT NULL, page TEXT, ticket TEXT, detail TEXT NOT NULL,
          PRIMARY KEY (slo, t)) WITHOUT ROWID;`,
      },
      { version: 2, description: 'by time', up: 'CREATE INDEX evaluations_t ON evaluations (t, status)' },
      { version: 3, description: 'alert history moves', up: 'SELECT 1' },
    ]);
    const insert = db.prepare('INSERT INTO evaluations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const old = [evaluation(slo, t0), evaluation(slo, t0 + minute, 0.03), evaluation(slo, t0 + 2 * minute, 0.03, 'timeout'), evaluation(other, t0)];
    for (const e of old) {
      const state = (severity: string) => e.severities.find((s) => s.severity === severity)?.state ?? null;
      const detail = JSON.stringify({ windows: e.windows, severities: e.severities, budget: e.budget });
      insert.run(e.slo, e.at, e.status, e.error ?? null, e.budget.remaining, e.budget.errorRatio, e.budget.timeToExhaustion, e.budget.burnRate, e.budget.coverage, state('page'), state('ticket'), detail);
    }
    const store = new EvaluationStore(db);
    expect(store.history(slo.name, 0, t0 + 3600).map((p) => [p.t, p.status, p.page])).toEqual([
      [t0, 'ok', pageState(old[0]!)],
      [t0 + minute, 'ok', pageState(old[1]!)],
      [t0 + 2 * minute, 'backend_error', pageState(old[2]!)],
    ]);
    expect(new Set(old.slice(0, 3).map(pageState))).toEqual(new Set(['ok', 'firing']));
    expect(store.latest(slo.name)).toMatchObject({ t: t0 + 2 * minute, status: 'backend_error', error: 'timeout' });
    expect(store.latest(slo.name)!.detail.windows).toEqual(JSON.parse(JSON.stringify(old[2]!.windows)));
    expect(store.latest(other.name)!.t).toBe(t0);
    expect(store.lastGoodEvaluationTime()).toBe(t0 + minute);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'evaluations_v3'").get()).toBeUndefined();
  });
});
