import { describe, expect, it } from 'vitest';
import type { Series } from '../../src/backends/backend.js';
import { memorySampleReader } from '../../src/backends/embedded/memory-sample-reader.js';
import { parsePromql } from '../../src/backends/embedded/promql-parser.js';
import { evaluate } from '../../src/backends/embedded/range-evaluator.js';

/** Counter increments per bucket (T − width, T] at every step, from the samples given (seconds, value). */
function increments(samples: Array<[number, number]>, options: { width: number; start: number; count: number; func?: 'increase' | 'rate' }) {
  const series: Series[] = [{ labels: { __name__: 'c_total', job: 'a' }, points: samples.map(([t, value]) => ({ t, value })) }];
  const gaps = { count: 0 };
  const value = evaluate(parsePromql(`sum(${options.func ?? 'increase'}(c_total[${options.width}s]))`), {
    store: memorySampleReader(series),
    grid: { startMs: options.start * 1000, stepMs: options.width * 1000, count: options.count },
    checkAbort: () => undefined,
    rangeFunctions: 'increments',
    gaps,
  });
  if (value.type !== 'vector') throw new Error('expected a vector');
  const only = value.series[0];
  const values = Array.from({ length: options.count }, (_, i) => (only?.present[i] === 1 ? only.values[i]! : undefined));
  return { values, gaps: gaps.count };
}

/** A counter scraped every `interval` seconds from `offset`, growing by `perScrape`. */
const scrapes = (offset: number, interval: number, n: number, perScrape = 6): Array<[number, number]> =>
  Array.from({ length: n }, (_, k) => [offset + k * interval, 100 + k * perScrape]);

describe('counter increments per bucket', () => {
  it('add up to the counter increase when buckets are narrower than the scrape interval', () => {
    // A 60 s scrape at 17.3 s past the minute, 10 s buckets: most buckets hold no sample and are 0.
    const samples = scrapes(1017.3, 60, 30);
    const { values } = increments(samples, { width: 10, start: 1080, count: 180 });
    expect(values.every((v) => v !== undefined)).toBe(true);
    expect(values.filter((v) => v! > 0)).toHaveLength(29);
    expect(values.reduce((sum, v) => sum! + v!, 0)).toBe(samples.at(-1)![1] - samples[0]![1]);
  });

  it('add up exactly at any bucket width, whatever the offset and jitter', () => {
    const jittered = scrapes(3.7, 30, 200).map(([t, v], k): [number, number] => [t + ((k * 7919) % 13) / 10 - 0.6, v + (k % 5)]);
    const expected = jittered.at(-1)![1] - jittered[0]![1];
    for (const width of [10, 60, 300, 3600]) {
      const start = width * Math.ceil(jittered[0]![0] / width);
      const count = Math.ceil((jittered.at(-1)![0] - start) / width) + 1;
      const { values } = increments(jittered, { width, start, count });
      expect(values.reduce((sum, v) => sum! + (v ?? 0), 0), `${width}s buckets`).toBeCloseTo(expected, 9);
    }
  });

  it('count the new value after a counter reset, and a series starts from its first sample', () => {
    const samples: Array<[number, number]> = [[5, 40], [65, 46], [125, 3], [185, 9]];
    const { values } = increments(samples, { width: 60, start: 60, count: 4 });
    expect(values).toEqual([0, 6, 3, 6]);
  });

  it('do not count across samples further apart than the gap limit, and say how many such gaps there were', () => {
    const samples: Array<[number, number]> = [[30, 10], [90, 16], [90 + 11 * 60, 500], [90 + 12 * 60, 506]];
    const { values, gaps } = increments(samples, { width: 60, start: 60, count: 14 });
    expect(values.reduce((sum, v) => sum! + (v ?? 0), 0)).toBe(6 + 6);
    expect(gaps).toBe(1);
  });

  it('are absent where the series was not sampled within the bucket and the gap limit before it', () => {
    const { values } = increments([[30, 1], [90, 2]], { width: 60, start: 60, count: 14 });
    expect(values.slice(0, 3)).toEqual([0, 1, 0]);
    expect(values.at(-1)).toBeUndefined();
  });

  it('as rate() give the same increments per second of the bucket', () => {
    const samples = scrapes(7, 15, 9, 3);
    const { values } = increments(samples, { width: 60, start: 60, count: 2, func: 'rate' });
    // The first bucket's first sample is the series' baseline: three increments there, four in the next.
    expect(values.map((v) => v! * 60)).toEqual([9, 12]);
  });
});
