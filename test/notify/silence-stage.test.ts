import { describe, expect, it } from 'vitest';
import { silenceStage } from '../../src/notify/silence-stage.js';
import { stored } from './stage-fixtures.js';

const bySlo = (slo: string) => (labels: Readonly<Record<string, string>>) => labels['slo'] === slo;

describe('silence stage', () => {
  it.each([
    ['a firing page a silence matches', [stored('a', 'page')], bySlo('a'), ['a/page']],
    ['a firing ticket a silence matches', [stored('a', 'ticket')], bySlo('a'), ['a/ticket']],
    ['an alert no silence matches', [stored('b', 'page')], bySlo('a'), []],
    ['a resolved alert, even one a silence matches', [stored('a', 'page', 'resolved')], bySlo('a'), []],
    ['a pending alert', [stored('a', 'page', 'pending')], bySlo('a'), []],
    ['only the matched ones of many, in order', [stored('b', 'page'), stored('a', 'page'), stored('a', 'ticket')], bySlo('a'), ['a/page', 'a/ticket']],
  ] as const)('%s', (_sentence, alerts, isSilenced, expected) => {
    expect([...silenceStage({ alerts, isSilenced })]).toEqual(expected);
  });
});
