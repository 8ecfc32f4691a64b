import { describe, expect, test } from 'vitest';
import { createSampleStore } from '../../src/backends/embedded/sample-store.js';
import { instant, newBackend, openMetricsCounter } from './fixtures.js';

/** Queries rate and increase of one counter at `at` over `range`. */
async function rateAndIncrease(points: ReadonlyArray<readonly [number, number]>, range: string, at: number) {
  const { backend } = newBackend();
  backend.ingest(openMetricsCounter('c', '{job="x"}', points));
  const rate = await instant(backend, `rate(c_total[${range}])`, at);
  const increase = await instant(backend, `increase(c_total[${range}])`, at);
  return { rate: rate['{"job":"x"}'], increase: increase['{"job":"x"}'] };
}

describe('rate/increase follow Prometheus 2.42 extrapolatedRate (hand-computed)', () => {
  test.each<[string, Array<[number, number]>, string, number, number]>([
    // gaps 10s each side < 1.1 × 40s: extrapolate to both boundaries, 40 × 60/40
    ['two samples extrapolate to both boundaries', [[10, 10], [50, 50]], '1m', 60, 60],
    // gaps 20s ≥ 1.1 × 5s: extrapolate half an interval each side, 20 × 25/20
    ['far boundaries add half an average interval each', [[20, 100], [25, 105], [30, 110], [35, 115], [40, 120]], '1m', 60, 25],
    // 25 − 10 + 20 (value before the drop), no gaps
    ['a counter reset adds the value before the drop', [[0, 10], [15, 20], [30, 5], [45, 15], [60, 25]], '1m', 60, 35],
    // start gap 5s but zero is reached 1s before the first sample: 20 × (20 + 1 + 5)/20
    ['a counter starting near zero is not extrapolated below zero', [[5, 1], [15, 11], [25, 21]], '30s', 30, 26],
    // intervals 2s and 36s, average 19s: both gaps (2s, 20s) < 20.9s, 40 × 60/38
    ['irregular intervals use the average interval', [[2, 100], [4, 104], [40, 140]], '1m', 60, (40 * 60) / 38],
    // samples exactly at T − range and T are both inside (left-closed range in 2.x)
    ['a sample exactly at the range start is included', [[0, 0], [60, 30]], '1m', 60, 30],
  ])('%s', async (_name, points, range, at, expectedIncrease) => {
    const rangeSeconds = range === '30s' ? 30 : 60;
    const { rate, increase } = await rateAndIncrease(points, range, at);
    expect(increase).toBeCloseTo(expectedIncrease, 12);
    expect(rate).toBeCloseTo(expectedIncrease / rangeSeconds, 12);
  });

  test('fewer than two samples in the range give no value at all', async () => {
    const { rate } = await rateAndIncrease([[0, 1], [100, 5]], '1m', 90);
    expect(rate).toBeUndefined();
  });

  test('a staleness marker is skipped by the range and hides the series from an instant selector', async () => {
    const { db, backend } = newBackend();
    const store = createSampleStore(db);
    store.append([
      { labels: { __name__: 'c_total' }, t: 0, value: 0 },
      { labels: { __name__: 'c_total' }, t: 15_000, value: 15 },
      { labels: { __name__: 'c_total' }, t: 30_000, value: 30 },
      { labels: { __name__: 'c_total' }, t: 35_000, value: 0, stale: true },
    ]);
    // samples 0, 15, 30 (the marker is not one): end gap 30s ≥ 16.5s adds 7.5s, 30 × 37.5/30
    expect(await instant(backend, 'increase(c_total[1m])', 60)).toEqual({ '{}': 37.5 });
    expect(await instant(backend, 'c_total', 34)).toEqual({ '{"__name__":"c_total"}': 30 });
    expect(await instant(backend, 'c_total', 36)).toEqual({});
  });

  test('an instant selector looks back 5 minutes, inclusive', async () => {
    const { backend } = newBackend();
    backend.ingest('g 7 0\n');
    expect(await instant(backend, 'g', 300)).toEqual({ '{"__name__":"g"}': 7 });
    expect(await instant(backend, 'g', 300.001)).toEqual({});
  });
});
