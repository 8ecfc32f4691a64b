import { describe, expect, it } from 'vitest';
import { burnFactor, canEverFire, makePair, timeToFire } from '../../src/core/windows.js';

const day = 86_400;
const hour = 3600;

describe('burn factors derived from budget fractions', () => {
  it.each([
    ['30d page 1h/2%', 0.02, 30, 1, 14.4],
    ['30d page 6h/5%', 0.05, 30, 6, 6],
    ['30d ticket 1d/10%', 0.1, 30, 24, 3],
    ['30d ticket 3d/10%', 0.1, 30, 72, 1],
    ['28d page 1h/2%', 0.02, 28, 1, 13.44],
    ['28d page 6h/5%', 0.05, 28, 6, 5.6],
    ['28d ticket 1d/10%', 0.1, 28, 24, 2.8],
    ['28d ticket 3d/10%', 0.1, 28, 72, 0.9333333333],
  ])('%s gives %f', (_name, fraction, days, longHours, factor) => {
    expect(burnFactor(fraction, days * day, longHours * hour)).toBeCloseTo(factor, 9);
  });
});

describe('time to fire', () => {
  it('a 99.9% SLO at 100% errors fires the 1h/14.4x pair after 51.84 s', () => {
    expect(timeToFire(makePair('page', hour, 300, 0.02, 30 * day), 99.9, 1)).toBeCloseTo(51.84, 9);
  });
  it('an error ratio below the threshold never fires', () => {
    expect(timeToFire(makePair('page', hour, 300, 0.02, 30 * day), 99.9, 0.01)).toBe(Infinity);
  });
  it('a 90% objective can never reach a 14.4x burn', () => {
    expect(canEverFire(makePair('page', hour, 300, 0.02, 30 * day), 90)).toBe(false);
    expect(canEverFire(makePair('page', hour, 300, 0.02, 30 * day), 99)).toBe(true);
  });
});
