import { describe, expect, it } from 'vitest';
import { planBuckets, type PlanInput } from '../../src/engine/bucket-plan.js';

const day = 86_400;
const base: PlanInput = {
  lastEnd: undefined,
  fingerprintMatches: false,
  target: 100 * day,
  bucket: 60,
  coarseBucket: 3600,
  fineSpan: 4 * day,
  history: 30 * day,
};

describe('bucket plan', () => {
  it('steady state fetches the one new bucket', () => {
    expect(planBuckets({ ...base, lastEnd: base.target - 60, fingerprintMatches: true })).toEqual({
      reset: false,
      ranges: [{ start: base.target, end: base.target, width: 60 }],
    });
  });

  it('is idle when already current', () => {
    expect(planBuckets({ ...base, lastEnd: base.target, fingerprintMatches: true }).ranges).toEqual([]);
  });

  it('after two hours of downtime catches up every missed bucket in one range', () => {
    expect(planBuckets({ ...base, lastEnd: base.target - 7200, fingerprintMatches: true }).ranges).toEqual([
      { start: base.target - 7140, end: base.target, width: 60 },
    ]);
  });

  it.each([
    ['nothing recorded yet', { lastEnd: undefined, fingerprintMatches: false }],
    ['the queries changed', { lastEnd: base.target - 60, fingerprintMatches: false }],
    ['the gap is longer than the SLO window', { lastEnd: base.target - 31 * day, fingerprintMatches: true }],
  ])('backfills the whole window, coarse then fine, when %s', (_sentence, state) => {
    const plan = planBuckets({ ...base, ...state });
    expect(plan.reset).toBe(true);
    expect(plan.ranges).toEqual([
      { start: 70 * day + 3600, end: 96 * day, width: 3600 },
      { start: 96 * day + 60, end: 100 * day, width: 60 },
    ]);
  });
});
