import { describe, expect, it } from 'vitest';
import { combinedVerdict, compareErrorRatios, defaultMinEvents, regressionPValue, type ComparisonPolicy } from '../../src/core/error-ratio-comparison.js';

const policy: ComparisonPolicy = { confidence: 0.999, minEvents: 5000, minBurnRate: 1, minRelativeIncrease: 0.5 };
const objective = 99.9;

describe('comparing error ratios before and after a deploy', () => {
  it.each([
    ['0.1% → 0.5% on 30,000 requests each is a regression', { errors: 30, total: 30_000 }, { errors: 150, total: 30_000 }, 'fail'],
    ['the same ratio on both sides passes', { errors: 30, total: 30_000 }, { errors: 31, total: 30_000 }, 'pass'],
    ['fewer errors after passes', { errors: 60, total: 30_000 }, { errors: 10, total: 30_000 }, 'pass'],
    ['too few events after is inconclusive, however bad they look', { errors: 30, total: 30_000 }, { errors: 40, total: 4_999 }, 'inconclusive'],
    ['too few events before is inconclusive', { errors: 0, total: 100 }, { errors: 150, total: 30_000 }, 'inconclusive'],
    ['significant but under a burn rate of 1× passes (0.01% → 0.05%)', { errors: 30, total: 300_000 }, { errors: 150, total: 300_000 }, 'pass'],
    ['significant but within the margin passes (0.4% → 0.5% on millions)', { errors: 8_000, total: 2_000_000 }, { errors: 10_000, total: 2_000_000 }, 'pass'],
    ['big but not significant passes (2 → 9 errors on 6,000)', { errors: 2, total: 6_000 }, { errors: 9, total: 6_000 }, 'pass'],
    ['errors appearing from none is a regression when significant and material', { errors: 0, total: 20_000 }, { errors: 40, total: 20_000 }, 'fail'],
    ['unequal traffic is weighed: 30 of 10,000 against 30 of 100,000 fails', { errors: 30, total: 100_000 }, { errors: 30, total: 10_000 }, 'fail'],
  ])('%s', (_sentence, baseline, candidate, verdict) => {
    expect(compareErrorRatios(baseline, candidate, objective, policy).verdict).toBe(verdict);
  });

  it('a fail names both ratios, their event counts, the burn rate and the confidence', () => {
    const comparison = compareErrorRatios({ errors: 30, total: 30_000 }, { errors: 150, total: 30_000 }, objective, policy);
    expect(comparison.reason).toBe('error ratio 0.500% (150 of 30,000) against 0.100% (30 of 30,000), burn rate 5.00×, higher with >99.99% confidence');
    expect(comparison.candidate).toEqual({ errors: 150, total: 30_000, ratio: 0.005, burnRate: expect.closeTo(5, 9) });
    expect(comparison.relativeIncrease).toBeCloseTo(4, 9);
    expect(comparison.pValue).toBeLessThan(1e-15);
  });

  it('a pass says which condition was not met', () => {
    expect(compareErrorRatios({ errors: 2, total: 6_000 }, { errors: 9, total: 6_000 }, objective, policy).reason).toMatch(
      /^error ratio 0\.150% \(9 of 6,000\) against 0\.0333% \(2 of 6,000\): not significantly higher \(96\.\d\d% confidence, 99\.90% needed\)$/,
    );
    expect(compareErrorRatios({ errors: 30, total: 300_000 }, { errors: 150, total: 300_000 }, objective, policy).reason).toMatch(/burn rate 0\.500× is below 1×$/);
    expect(compareErrorRatios({ errors: 60, total: 30_000 }, { errors: 10, total: 30_000 }, objective, policy).reason).toMatch(/: not higher$/);
    expect(compareErrorRatios({ errors: 0, total: 30_000 }, { errors: 0, total: 30_000 }, objective, policy).reason).toMatch(/: no errors on either side$/);
    expect(compareErrorRatios({ errors: 8_000, total: 2_000_000 }, { errors: 10_000, total: 2_000_000 }, objective, policy).reason).toMatch(
      /an increase of 25% is below the 50% margin$/,
    );
  });

  it('an inconclusive answer says how many events each side has and needs', () => {
    expect(compareErrorRatios({ errors: 1, total: 600 }, { errors: 1, total: 540 }, objective, policy).reason).toBe(
      'not enough traffic: 540 events after, 600 before; 5,000 needed on each side',
    );
  });

  it('names the populations it is given: a canary against stable', () => {
    const canary = { candidate: 'in the canary', baseline: 'in stable' };
    expect(compareErrorRatios({ errors: 30, total: 30_000 }, { errors: 150, total: 30_000 }, objective, policy, canary).reason).toBe(
      'error ratio 0.500% (150 of 30,000) in the canary against 0.100% (30 of 30,000) in stable, burn rate 5.00×, higher with >99.99% confidence',
    );
    expect(compareErrorRatios({ errors: 9, total: 54_000 }, { errors: 1, total: 4_800 }, objective, policy, canary).reason).toBe(
      'not enough traffic: 4,800 events in the canary, 54,000 in stable; 5,000 needed on each side',
    );
  });

  it('the p-value is the chance of at least the candidate errors when both ratios are equal', () => {
    // Equal traffic: the 4 errors split like fair coins; all 4 after has probability 1/16.
    expect(regressionPValue({ errors: 0, total: 1000 }, { errors: 4, total: 1000 })).toBeCloseTo(1 / 16, 12);
    expect(regressionPValue({ errors: 0, total: 0 }, { errors: 0, total: 1000 })).toBe(1);
  });

  it.each([
    [99.9, 5000],
    [99, 500],
    [99.99, 50_000],
    [95, 100],
  ])('a %s%% SLO needs %s events a side by default (5 errors expected at the budget rate)', (objectivePercent, events) => {
    expect(defaultMinEvents(objectivePercent)).toBe(events);
  });

  it.each([
    [['pass', 'pass'], 'pass'],
    [['pass', 'fail', 'inconclusive'], 'fail'],
    [['pass', 'inconclusive'], 'inconclusive'],
    [[], 'inconclusive'],
  ] as const)('%j together are %s', (verdicts, combined) => {
    expect(combinedVerdict(verdicts)).toBe(combined);
  });
});
