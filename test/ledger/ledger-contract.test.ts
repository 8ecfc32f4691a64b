import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { BucketLedger } from '../../src/ledger/bucket-ledger.js';
import { MemoryLedger } from '../../src/ledger/memory-ledger.js';
import { SqliteLedger } from '../../src/ledger/sqlite-ledger.js';

const ledgers: Array<[string, () => BucketLedger]> = [
  ['memory', () => new MemoryLedger()],
  ['sqlite', () => new SqliteLedger(new Database(':memory:'))],
];

/** Minute buckets from `start` (end of first) with 100 requests and `errorsAt(end)` errors each. */
function minutes(start: number, count: number, errorsAt: (end: number) => number | null) {
  return Array.from({ length: count }, (_, i) => {
    const end = start + i * 60;
    const errors = errorsAt(end);
    return { end, width: 60, errors, total: errors === null ? null : 100 };
  });
}

describe.each(ledgers)('%s ledger', (_kind, make) => {
  it('sums any window ending at a bucket boundary from two rows', () => {
    const ledger = make();
    ledger.reset('a', 'f1');
    ledger.append('a', minutes(60, 120, (end) => (end > 3600 ? 10 : 1)));
    const counts = ledger.windowCounts('a', 7200, [300, 3600, 7200]);
    expect(counts.get(300)).toEqual({ errors: 50, total: 500, coverage: 1 });
    expect(counts.get(3600)).toEqual({ errors: 600, total: 6000, coverage: 1 });
    expect(counts.get(7200)).toEqual({ errors: 660, total: 12_000, coverage: 1 });
  });

  it('buckets without data lower coverage and add no events', () => {
    const ledger = make();
    ledger.reset('a', 'f1');
    ledger.append('a', minutes(60, 10, (end) => (end > 360 ? null : 2)));
    const counts = ledger.windowCounts('a', 600, [300, 600]);
    expect(counts.get(300)).toEqual({ errors: 2, total: 100, coverage: 0.2 });
    expect(counts.get(600)).toEqual({ errors: 12, total: 600, coverage: 0.6 });
  });

  it('a window reaching before the first bucket counts from zero with partial coverage', () => {
    const ledger = make();
    ledger.reset('a', 'f1');
    ledger.append('a', minutes(60, 30, () => 1));
    expect(ledger.windowCounts('a', 1800, [3600]).get(3600)).toEqual({ errors: 30, total: 3000, coverage: 0.5 });
  });

  it('thinning old rows keeps window sums at kept boundaries exact', () => {
    const ledger = make();
    ledger.reset('a', 'f1');
    ledger.append('a', minutes(60, 240, (end) => end % 7));
    const before = ledger.windowCounts('a', 14_400, [7200, 10_800]);
    const removed = ledger.thin('a', 7200, 3600);
    expect(removed).toBe(118);
    expect(ledger.windowCounts('a', 14_400, [7200, 10_800])).toEqual(before);
  });

  it('a thinned far edge rounds down to the kept row and widens the span', () => {
    const ledger = make();
    ledger.reset('a', 'f1');
    ledger.append('a', minutes(60, 240, () => 1));
    ledger.thin('a', 7200, 3600);
    // 14,400 − 9,000 = 5,400 is gone; the kept row at 3,600 is used: 180 buckets over a 10,800 s span.
    expect(ledger.windowCounts('a', 14_400, [9000]).get(9000)).toEqual({ errors: 180, total: 18_000, coverage: 1 });
  });

  it('thinning keeps the rows it is told to (where deploys landed), so a span from one stays exact', () => {
    const ledger = make();
    ledger.reset('a', 'f1');
    ledger.append('a', minutes(60, 240, (end) => (end > 5400 ? 1 : 9)));
    const exact = ledger.windowCounts('a', 14_400, [14_400 - 5400]).get(9000);
    const removed = ledger.thin('a', 7200, 3600, [5400, 999]);
    expect(removed).toBe(117);
    expect(ledger.windowCounts('a', 14_400, [9000]).get(9000)).toEqual(exact);
    expect(exact).toEqual({ errors: 150, total: 15_000, coverage: 1 });
  });

  it('reads the running sums at any time: exact to the bucket, interpolated between thinned rows', () => {
    const ledger = make();
    ledger.reset('a', 'f1');
    ledger.append('a', minutes(60, 240, () => 2));
    // Bucket (3540, 3600] holds 3,570: its sums count from the row at 3,540 (59 buckets from 0).
    expect(ledger.sumsAt('a', 3570, 60)).toEqual({ errors: 2 * 59, total: 100 * 59, exact: true });
    expect(ledger.sumsAt('a', 0, 60)).toEqual({ errors: 0, total: 0, exact: true });
    expect(ledger.sumsAt('a', 99_999, 60)).toEqual({ errors: 2 * 240, total: 100 * 240, exact: true });
    ledger.thin('a', 7200, 3600);
    // Between the kept rows at 3,600 (60 buckets) and 7,200 (120): a third of the way, a third of the hour's events.
    expect(ledger.sumsAt('a', 4800, 60)).toEqual({ errors: 2 * 80, total: 100 * 80, exact: false });
  });

  it('reset forgets buckets and records the fingerprint; appends must move forward', () => {
    const ledger = make();
    ledger.reset('a', 'f1');
    ledger.append('a', minutes(60, 3, () => 1));
    expect(ledger.lastBucketEnd('a')).toBe(180);
    expect(() => ledger.append('a', minutes(120, 1, () => 1))).toThrow(/not after/);
    ledger.reset('a', 'f2');
    expect(ledger.lastBucketEnd('a')).toBeUndefined();
    expect(ledger.fingerprint('a')).toBe('f2');
    expect(ledger.windowCounts('a', 180, [60]).get(60)).toEqual({ errors: 0, total: 0, coverage: 0 });
  });
});

describe.each(ledgers)('%s ledger retention', (_kind, make) => {
  it('dropping old rows keeps the newest of them as the base of later windows', () => {
    const ledger = make();
    ledger.reset('a', 'f1');
    ledger.append('a', minutes(60, 120, () => 1));
    const before = ledger.windowCounts('a', 7200, [3600]);
    expect(ledger.drop('a', 3600)).toBe(60);
    expect(ledger.windowCounts('a', 7200, [3600])).toEqual(before);
    expect(ledger.windowCounts('a', 7200, [7200]).get(7200)).toMatchObject({ errors: 60, total: 6000 });
  });
});
