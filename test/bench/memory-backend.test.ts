import { afterEach, describe, expect, it } from 'vitest';
import { BackendError } from '../../src/backends/backend.js';
import { createMemoryBackend } from '../../src/backends/memory-backend.js';
import { runCycle } from '../../src/engine/evaluation-cycle.js';
import { windowsQuery } from '../../src/engine/window-query.js';
import { benchSettings } from '../../bench/settings.js';
import { openTempLedger, type TempLedger } from '../../bench/temp-ledger.js';
import { testSlo } from '../support/slo-fixture.js';

const errorsPerSecond = 0.01;
const requestsPerSecond = 10;
const rates = (expr: string) => (expr.includes('code=') ? errorsPerSecond : requestsPerSecond);

describe('memory backend', () => {
  it('answers one unlabelled series with a value at every step, and counts the query', async () => {
    const backend = createMemoryBackend({ value: (_expr, t) => t / 60 });
    const series = await backend.queryRange({ expr: 'sum(rate(x[1m]))', start: 600, end: 780, step: 60 });
    expect(series).toEqual([{ labels: {}, points: [600, 660, 720, 780].map((t) => ({ t, value: t / 60 })) }]);
    expect(backend.queryCount).toBe(1);
  });

  it('answers no series when the expression has no value at any step', async () => {
    const backend = createMemoryBackend({ value: () => undefined });
    expect(await backend.queryRange({ expr: 'absent_metric', start: 0, end: 600, step: 60 })).toEqual([]);
    expect(backend.queryCount).toBe(1);
  });

  it('splits the engine’s combined windows query into one labelled series per window', async () => {
    const seen: string[] = [];
    const backend = createMemoryBackend({
      value: (expr) => {
        seen.push(expr);
        return expr.includes('[5m]') ? 5 : 60;
      },
    });
    const series = await backend.queryRange({ expr: windowsQuery('sum(rate(x{a="b or c"}[{{window}}]))', [300, 3600]), start: 600, end: 600, step: 60 });
    expect(series.map((one) => [one.labels, one.points[0]?.value])).toEqual([
      [{ burnrate_window: '300' }, 5],
      [{ burnrate_window: '3600' }, 60],
    ]);
    expect(seen).toEqual(['sum(rate(x{a="b or c"}[5m]))', 'sum(rate(x{a="b or c"}[1h]))']);
    expect(backend.queryCount).toBe(1);
  });

  it('keeps the queries when asked to, and forgets them on resetCount', async () => {
    const backend = createMemoryBackend({ record: true });
    const query = { expr: 'up', start: 0, end: 60, step: 60 };
    await backend.queryRange(query);
    expect(backend.queries).toEqual([query]);
    backend.resetCount();
    expect([backend.queryCount, backend.queries.length]).toEqual([0, 0]);
  });

  it('rejects an invalid range as a bad query without counting it', async () => {
    const backend = createMemoryBackend();
    const failure = await backend.queryRange({ expr: 'up', start: 0, end: 60, step: 0 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BackendError);
    expect((failure as BackendError).code).toBe('bad_query');
    expect(backend.queryCount).toBe(0);
  });

  it('rejects with the abort reason once the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stopping'));
    const backend = createMemoryBackend();
    await expect(backend.queryRange({ expr: 'up', start: 0, end: 60, step: 60 }, controller.signal)).rejects.toThrow('stopping');
  });
});

describe('memory backend under the evaluation cycle with the SQLite ledger', () => {
  let temp: TempLedger | undefined;
  afterEach(() => temp?.remove());

  it('gives exact window counts, two queries per SLO in steady state, and the same count as the backend saw', async () => {
    temp = openTempLedger();
    const slos = [testSlo({ name: 'a' }), testSlo({ name: 'b' }), testSlo({ name: 'c' })];
    const backend = createMemoryBackend({ value: rates });
    const parts = { slos, backend, ledger: temp.ledger, settings: benchSettings(), concurrency: 2 };
    const start = 40 * 86_400;

    const startup = await runCycle(parts, start);
    expect(startup.queries).toBe(backend.queryCount);
    expect(startup.queries).toBeGreaterThan(2 * slos.length);

    backend.resetCount();
    const steady = await runCycle(parts, start + 60);
    expect([steady.queries, backend.queryCount]).toEqual([2 * slos.length, 2 * slos.length]);
    const at = steady.evaluations.filter((evaluation) => evaluation.at === start + 60);
    expect(at.map((evaluation) => [evaluation.slo, evaluation.status])).toEqual([
      ['a', 'ok'],
      ['b', 'ok'],
      ['c', 'ok'],
    ]);
    const hour = at[0]!.windows.find((window) => window.window === 3600)!;
    expect(hour.errors).toBeCloseTo(errorsPerSecond * 3600, 6);
    expect(hour.total).toBeCloseTo(requestsPerSecond * 3600, 6);
    expect(at[0]!.budget.errorRatio).toBeCloseTo(errorsPerSecond / requestsPerSecond, 9);
  });
});
