import { describe, expect, it } from 'vitest';
import { fanoutStage, multiStage } from '../../src/notify/stage.js';

describe('stage composition', () => {
  it('multiStage passes what the first stage answers to the second, with the same time', () => {
    const both = multiStage((n: number, now: number) => n + now, (n: number, now: number) => [n, now]);
    expect(both(1, 10)).toEqual([11, 10]);
  });

  it.each([
    ['one run per integration, in the receiver order', ['payments/slack', 'payments/email'], ['payments/slack@5', 'payments/email@5']],
    ['a receiver without integrations runs nothing', [], []],
    ['a kind the pipeline has never heard of runs the same stage', ['payments/pagerduty'], ['payments/pagerduty@5']],
  ] as const)('fanoutStage: %s', (_sentence, integrations, expected) => {
    const fanout = fanoutStage((input: { integration: string; suffix: string }, now: number) => `${input.integration}${input.suffix}${now}`);
    expect(fanout({ integrations, suffix: '@' }, 5)).toEqual(expected);
  });
});
