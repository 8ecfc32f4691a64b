import { describe, expect, it } from 'vitest';
import { bucketsFromResults, settledBuckets, valuesByWindow, windowCountsFromResults } from '../../src/engine/indicator-buckets.js';
import { windowsQuery } from '../../src/engine/window-query.js';
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

describe('combined windows query', () => {
  it('labels each window with its seconds and joins them with or', () => {
    expect(windowsQuery('sum(rate(x[{{window}}]))', [60, 300, 60])).toBe(
      'label_replace(sum(rate(x[1m])), "burnrate_window", "60", "", "") or label_replace(sum(rate(x[5m])), "burnrate_window", "300", "", "")',
    );
  });

  it('splits the answer by window and rejects a template that yields several series', () => {
    const series = (window: string, code: string) => ({ labels: { burnrate_window: window, code }, points: [{ t: 60, value: 1 }] });
    expect([...valuesByWindow([series('60', 'a'), series('300', 'a')], 'errors').keys()]).toEqual([60, 300]);
    expect(() => valuesByWindow([series('60', 'a'), series('60', 'b')], 'errors')).toThrow(/more than one series .* wrap it in sum\(\)/);
  });
});

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
    const buckets = bucketsFromResults(rateErrors, range, undefined, new Map([[60, 1]]));
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
    expect(bucketsFromResults(increaseGood, range, undefined, new Map([[60, 100]]))[0]).toMatchObject({ errors: null, total: null });
  });

  it('NaN and infinite values are no data', () => {
    const buckets = bucketsFromResults(rateErrors, range, undefined, new Map([[60, Number.NaN], [120, Infinity], [180, 1]]));
    expect(buckets.map((b) => b.total)).toEqual([null, null, 60]);
  });
});

describe('alert windows from query results', () => {
  it('gives each window its own events in its own unit, and zero coverage where a window had no data', () => {
    const numerator = new Map([[300, new Map([[60, 0.1]])]]);
    const total = new Map([
      [300, new Map([[60, 10], [120, 10]])],
      [3600, new Map([[60, 20]])],
    ]);
    const counts = windowCountsFromResults(rateErrors, { start: 60, end: 120, width: 60 }, [300, 3600], numerator, total);
    expect(counts.get(60)?.get(300)).toEqual({ errors: 30, total: 3000, coverage: 1 });
    expect(counts.get(60)?.get(3600)).toEqual({ errors: 0, total: 72_000, coverage: 1 });
    expect(counts.get(120)?.get(3600)).toEqual({ errors: 0, total: 0, coverage: 0 });
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
