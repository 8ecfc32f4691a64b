import { describe, expect, it } from 'vitest';
import { budgetLeftText, coverageText } from '../../src/core/budget-coverage.js';

const day = 86_400;

describe('budget coverage in words', () => {
  it.each([
    ['a full window says nothing', 1, ''],
    ['a window a hair short of full says nothing', 0.9995, ''],
    ['two hours and ten minutes of thirty days', (2 * 3600 + 600) / (30 * day), 'over 2h 10m of 30d'],
    ['four days of thirty', 4 / 30, 'over 4d of 30d'],
    ['nothing seen yet', 0, 'over no time of 30d'],
  ])('%s', (_sentence, coverage, expected) => {
    expect(coverageText(coverage, 30 * day)).toBe(expected);
  });

  it('puts the coverage beside the remaining budget, so a new service does not read as a disaster', () => {
    expect(budgetLeftText(-100.4, 7800 / (30 * day), 30 * day)).toBe('-10040.0% left over 2h 10m of 30d');
    expect(budgetLeftText(0.47, 1, 28 * day)).toBe('47.0% left');
    expect(budgetLeftText(null, 0, 30 * day)).toBe('-');
  });
});
