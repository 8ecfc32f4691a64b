import { describe, expect, it } from 'vitest';
import { bucketsFromResults, settledBuckets, valuesByTime } from '../../src/engine/indicator-buckets.js';
import type { Indicator } from '../../src/slo/model.js';

const rateErrors: Indicator = {
  numeratorKind: 'errors',
  numerator: { template: 'e', unit: 'per_second' },
  total: { template: 't', unit: 'per_second' },
};
const increaseGood: Indicator = {
  numeratorKind: 'good',
  numerator: { template: 'g', unit: 'events' },
  total: { template: 't', unit: 'events' },
};
const range = { start: 60, end: 180, width: 60 };

describe('buckets from query results', () => {
  it('turns per-second rates into events over the bucket', () => {
    const buckets = bucketsFromResults(rateErrors, range, new Map([[60, 0.5]]), new Map([[60, 10], [120, 10], [180, 10]]));
    expect(buckets).toEqual([
      { end: 60, width: 60, errors: 30, total: 600 },
      { end: 120, width: 60, errors: 0, total: 600 },
      { end: 180, width: 60, errors: 0, total: 600 },
    ]);
  });

  it('an absent error series with requests present means no errors; an absent total means no data', () => {
    const buckets = bucketsFromResults(rateErrors, range, new Map(), new Map([[60, 1]]));
    expect(buckets.map((b) => [b.errors, b.total])).toEqual([[0, 60], [null, null], [null, null]]);
  });

  it('derives errors from good events and never lets them go negative or above total', () => {
    const buckets = bucketsFromResults(
      increaseGood,
      range,
      new Map([[60, 95], [120, 101], [180, 5]]),
      new Map([[60, 100], [120, 100], [180, 100]]),
    );
    expect(buckets.map((b) => b.errors)).toEqual([5, 0, 95]);
  });

  it('a missing good series is no data, not 100% errors', () => {
    expect(bucketsFromResults(increaseGood, range, new Map(), new Map([[60, 100]]))[0]).toMatchObject({ errors: null, total: null });
  });

  it('NaN and infinite values are no data', () => {
    const buckets = bucketsFromResults(rateErrors, range, new Map(), new Map([[60, Number.NaN], [120, Infinity], [180, 1]]));
    expect(buckets.map((b) => b.total)).toEqual([null, null, 60]);
  });

  it('rejects a query that returns several series', () => {
    const series = [1, 2].map((n) => ({ labels: { code: String(n) }, points: [] }));
    expect(() => valuesByTime(series, 'errors')).toThrow(/returned 2 series .* wrap it in sum\(\)/);
  });
});

describe('settled buckets', () => {
  const bucket = (end: number, total: number | null) => ({ end, width: 60, errors: total === null ? null : 0, total });
  it('holds back trailing buckets without data that may still arrive', () => {
    const buckets = [bucket(60, 1), bucket(120, null), bucket(180, null)];
    expect(settledBuckets(buckets, 180, 60).map((b) => b.end)).toEqual([60, 120]);
    expect(settledBuckets(buckets, 180, 300).map((b) => b.end)).toEqual([60]);
  });
  it('records gaps followed by data', () => {
    const buckets = [bucket(60, null), bucket(120, 1)];
    expect(settledBuckets(buckets, 120, 300)).toHaveLength(2);
  });
});
