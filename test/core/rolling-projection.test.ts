import { describe, expect, it } from 'vitest';
import { rollingExhaustion, type AgingSlice } from '../../src/core/rolling-projection.js';

const day = 86_400;
const window = 30 * day;
const budget = 0.001;

/** A window of 30 days at 1,000 events a day whose errors fell on the given days (0 = oldest). */
function windowWith(errorsByDay: Record<number, number>) {
  const aging: AgingSlice[] = [];
  let errors = 0;
  for (let d = 0; d < 30; d++) {
    errors += errorsByDay[d] ?? 0;
    aging.push({ after: (d + 1) * day, errors, total: (d + 1) * 1000 });
  }
  return { errors, total: 30_000, window, budget, aging };
}

describe('rolling-window budget exhaustion', () => {
  it.each([
    ['burning at 0.5× with old errors ageing out: never runs out', { 0: 20 }, 0.0005, null],
    ['burning at 2× from a clean window: runs out after half a window', {}, 0.002, 15 * day],
    ['already over budget: now', { 29: 40 }, 0, 0],
    // 25 errors 2 days ago (budget 30): at 0.5× they stay in the window for 28 more days; 5 left, 15 arrive by day 20.
    ['a recent bad day plus a slow burn: runs out once the new errors outweigh the allowance', { 28: 25 }, 0.0005, 10 * day],
  ])('%s', (_sentence, errorsByDay, errorRatio, expected) => {
    expect(rollingExhaustion({ ...windowWith(errorsByDay), errorRatio })).toBe(expected);
  });

  it('no events is no projection', () => {
    expect(rollingExhaustion({ errors: 0, total: 0, window, budget, errorRatio: 1, aging: [] })).toBeNull();
  });
});
