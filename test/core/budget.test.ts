import { describe, expect, it } from 'vitest';
import { budgetStatus } from '../../src/core/budget.js';

const window = 30 * 86_400;

describe('error budget', () => {
  it.each([
    ['no errors leaves the whole budget', 0, 1_000_000, 1],
    ['half the allowed errors leaves half', 500, 1_000_000, 0.5],
    ['exactly the allowed errors leaves none', 1000, 1_000_000, 0],
    ['twice the allowed errors is overspent by one budget', 2000, 1_000_000, -1],
  ])('%s', (_sentence, errors, total, remaining) => {
    expect(budgetStatus({ errors, total, coverage: 1 }, 0.001, window, 1).remaining).toBeCloseTo(remaining, 12);
  });

  it('is event-weighted: a busy hour counts for more than a quiet one', () => {
    // Quiet hour: 10% errors of 100 requests; busy hour: 0% of 100,000. Averaged ratios would say 5%.
    const status = budgetStatus({ errors: 10, total: 100_100, coverage: 1 }, 0.001, window, null);
    expect(status.errorRatio).toBeCloseTo(10 / 100_100, 12);
  });

  it('time to exhaustion is remaining × window / burn rate', () => {
    expect(budgetStatus({ errors: 500, total: 1_000_000, coverage: 1 }, 0.001, window, 10).timeToExhaustion).toBeCloseTo(
      (0.5 * window) / 10,
      6,
    );
  });

  it.each([
    ['no current burn means no exhaustion in sight', 500, 0, null],
    ['an overspent budget is exhausted now', 2000, 3, 0],
  ])('%s', (_sentence, errors, burn, expected) => {
    expect(budgetStatus({ errors, total: 1_000_000, coverage: 1 }, 0.001, window, burn).timeToExhaustion).toBe(expected);
  });

  it('no events is no figure, not a full budget', () => {
    expect(budgetStatus({ errors: 0, total: 0, coverage: 0 }, 0.001, window, 0)).toEqual({
      remaining: null,
      errorRatio: null,
      timeToExhaustion: null,
    });
  });
});
