import { describe, expect, it } from 'vitest';
import { binomialUpperTail, logGamma, regularizedBeta } from '../../src/core/binomial-tail.js';

/** P(X ≥ x) by summing the probability mass, in log space (independent of the incomplete beta function). */
function summedTail(x: number, n: number, p: number): number {
  let logC = 0; // ln C(n, 0)
  let sum = 0;
  for (let k = 0; k <= n; k++) {
    if (k > 0) logC += Math.log(n - k + 1) - Math.log(k);
    if (k >= x) sum += Math.exp(logC + k * Math.log(p) + (n - k) * Math.log1p(-p));
  }
  return sum;
}

describe('binomial upper tail', () => {
  it.each([
    ['one fair coin shows heads half the time', 1, 1, 0.5, 0.5],
    ['three heads of three fair coins is one in eight', 3, 3, 0.5, 0.125],
    ['at least nothing is certain', 0, 10, 0.3, 1],
    ['more than n is impossible', 11, 10, 0.3, 0],
    ['with p = 0 no success happens', 1, 10, 0, 0],
    ['with p = 1 every trial succeeds', 10, 10, 1, 1],
  ])('%s', (_sentence, x, n, p, expected) => {
    expect(binomialUpperTail(x, n, p)).toBeCloseTo(expected, 12);
  });

  it.each([
    [45, 54, 0.5],
    [150, 180, 0.5],
    [30, 43, 0.1],
    [2, 400, 0.001],
    [700, 1000, 0.68],
    [5, 5, 0.99],
  ])('P(X ≥ %d | n = %d, p = %d) equals the summed mass', (x, n, p) => {
    const expected = summedTail(x, n, p);
    expect(Math.abs(binomialUpperTail(x, n, p) - expected)).toBeLessThanOrEqual(1e-12 + 1e-9 * expected);
  });

  it('ln Γ matches factorials and Γ(1/2) = √π', () => {
    expect(logGamma(1)).toBeCloseTo(0, 12);
    expect(logGamma(11)).toBeCloseTo(Math.log(3_628_800), 10);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
  });

  it('I_x(a, b) is symmetric: I_x(a, b) = 1 − I_{1−x}(b, a)', () => {
    for (const [x, a, b] of [[0.2, 3, 7.5], [0.9, 100, 2], [0.5, 0.5, 0.5]] as const) {
      expect(regularizedBeta(x, a, b)).toBeCloseTo(1 - regularizedBeta(1 - x, b, a), 12);
    }
  });
});
