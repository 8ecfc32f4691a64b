import { describe, expect, it } from 'vitest';
import { planQueries, type PlanInput } from '../../src/engine/bucket-plan.js';

const day = 86_400;
const target = 100 * day;
const base: PlanInput = {
  lastEnd: undefined,
  fingerprintMatches: false,
  target,
  windowsFrom: target,
  bucket: 60,
  coarseBucket: 3600,
  fineSpan: 4 * day,
  history: 30 * day,
};

describe('query plan', () => {
  it('steady state asks for the one new step, with its alert windows', () => {
    expect(planQueries({ ...base, lastEnd: target - 60, fingerprintMatches: true })).toEqual({
      reset: false,
      ranges: [{ start: target, end: target, width: 60, windows: true }],
    });
  });

  it('asks for the alert windows at the target even when its bucket is recorded already', () => {
    expect(planQueries({ ...base, lastEnd: target, fingerprintMatches: true }).ranges).toEqual([
      { start: target, end: target, width: 60, windows: true },
    ]);
  });

  it('after two hours of downtime covers every missed bucket, and the windows of the steps to replay', () => {
    expect(planQueries({ ...base, lastEnd: target - 7200, fingerprintMatches: true, windowsFrom: target - 3600 }).ranges).toEqual([
      { start: target - 7140, end: target - 3660, width: 60, windows: false },
      { start: target - 3600, end: target, width: 60, windows: true },
    ]);
  });

  it.each([
    ['nothing recorded yet', { lastEnd: undefined, fingerprintMatches: false }],
    ['the queries changed', { lastEnd: target - 60, fingerprintMatches: false }],
    ['the gap is longer than the SLO window', { lastEnd: target - 31 * day, fingerprintMatches: true }],
  ])('backfills the whole window, coarse then fine, when %s', (_sentence, state) => {
    const plan = planQueries({ ...base, ...state });
    expect(plan.reset).toBe(true);
    expect(plan.ranges).toEqual([
      { start: 70 * day + 3600, end: 96 * day, width: 3600, windows: false },
      { start: 96 * day + 60, end: target - 60, width: 60, windows: false },
      { start: target, end: target, width: 60, windows: true },
    ]);
  });

  it('a replay from long ago gets coarse history up to the hour before it, then windows over the whole replay', () => {
    const plan = planQueries({ ...base, windowsFrom: 80 * day });
    expect(plan.ranges).toEqual([
      { start: 70 * day + 3600, end: 80 * day - 3600, width: 3600, windows: false },
      { start: 80 * day - 3540, end: 80 * day - 60, width: 60, windows: false },
      { start: 80 * day, end: target, width: 60, windows: true },
    ]);
  });
});
