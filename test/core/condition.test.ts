import { describe, expect, it } from 'vitest';
import { conditionTransition, nextActive } from '../../src/core/condition.js';

describe('alert condition state', () => {
  it.each([
    ['an inactive condition fires when the decision fires', false, 'firing', true],
    ['an active condition resolves when the decision is ok', true, 'ok', false],
    ['an active condition stays firing when data vanishes', true, 'unknown', true],
    ['an inactive condition stays quiet when data vanishes', false, 'unknown', false],
  ] as const)('%s', (_sentence, active, state, expected) => {
    expect(nextActive(active, state)).toBe(expected);
  });

  it('reports the transition with its time', () => {
    expect(conditionTransition('a', 'page', false, 'firing', 60)).toEqual({ slo: 'a', severity: 'page', state: 'firing', at: 60 });
    expect(conditionTransition('a', 'page', true, 'firing', 120)).toBeUndefined();
  });
});
