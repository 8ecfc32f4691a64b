import { describe, expect, test } from 'vitest';
import { BackendError } from '../../src/backends/backend.js';
import { instant, newBackend } from './fixtures.js';

function fixture() {
  const { backend } = newBackend();
  backend.ingest(
    [
      'a{job="x",code="200"} 1',
      'a{job="x",code="500"} 2',
      'b{job="x",code="200"} 10',
      'b{job="y",code="200"} 20',
      'c{job="y",code="200"} 100',
      'c{job="z",code="200"} 200',
    ].join('\n'),
    { defaultTimestamp: 1000 },
  );
  return backend;
}

const ax200 = '{"__name__":"a","code":"200","job":"x"}';
const ax500 = '{"__name__":"a","code":"500","job":"x"}';
const bx200 = '{"__name__":"b","code":"200","job":"x"}';
const by200 = '{"__name__":"b","code":"200","job":"y"}';
const cz200 = '{"__name__":"c","code":"200","job":"z"}';

describe('set operators match on all labels but __name__ and keep label sets whole', () => {
  test.each<[string, string, Record<string, number>]>([
    ['or keeps every left sample and the right ones whose labels without the name are new', 'a or b', { [ax200]: 1, [ax500]: 2, [by200]: 20 }],
    ['or is left-associative: each right side only fills what is still missing', 'a or b or c', {
      [ax200]: 1, [ax500]: 2, [by200]: 20, [cz200]: 200,
    }],
    ['or with the sides swapped keeps the other side first', 'b or a', { [bx200]: 10, [by200]: 20, [ax500]: 2 }],
    ['or with an empty left side is the right side', 'nothing or b', { [bx200]: 10, [by200]: 20 }],
    ['or with an empty right side is the left side', 'a or nothing', { [ax200]: 1, [ax500]: 2 }],
    ['or binds more loosely than arithmetic', 'a or b * 2', { [ax200]: 1, [ax500]: 2, '{"code":"200","job":"y"}': 40 }],
    ['or binds more loosely than and', 'a and b or c', { [ax200]: 1, '{"__name__":"c","code":"200","job":"y"}': 100, [cz200]: 200 }],
    ['and keeps left samples that have a partner', 'a and b', { [ax200]: 1 }],
    ['unless keeps left samples without a partner', 'a unless b', { [ax500]: 2 }],
    ['overlapping label sets after sum by collapse to the left value', 'sum by (code) (a) or sum by (code) (b)', {
      '{"code":"200"}': 1, '{"code":"500"}': 2,
    }],
  ])('%s', async (_name, expr, expected) => {
    expect(await instant(fixture(), expr, 1000)).toEqual(expected);
  });

  test.each([
    ['a scalar on the left', '1 or a', 'set operator "or" not allowed in binary scalar expression'],
    ['a scalar on the right', 'a and 1', 'set operator "and" not allowed in binary scalar expression'],
    ['a bool modifier', 'a or bool b', 'bool modifier can only be used on comparison operators'],
  ])('%s is bad_query', async (_name, expr, message) => {
    const error = await instant(fixture(), expr, 1000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as BackendError).code).toBe('bad_query');
    expect((error as BackendError).message).toBe(message);
  });

  test('a series fed by the left side at some steps and the right side at others is one series', async () => {
    const { backend } = newBackend();
    backend.ingest('a{job="x"} 1 0\nb{job="x"} 2 0\nb{job="x"} 3 600000\n');
    // a is visible for 5 minutes after t=0; afterwards b fills in. Both keep their names, so they stay apart.
    const series = await backend.queryRange({ expr: 'a or b', start: 0, end: 600, step: 300 });
    expect(series).toEqual([
      { labels: { __name__: 'a', job: 'x' }, points: [{ t: 0, value: 1 }, { t: 300, value: 1 }] },
      { labels: { __name__: 'b', job: 'x' }, points: [{ t: 600, value: 3 }] },
    ]);
    const nameless = await backend.queryRange({ expr: 'a * 1 or b * 10', start: 0, end: 600, step: 300 });
    expect(nameless).toEqual([{ labels: { job: 'x' }, points: [{ t: 0, value: 1 }, { t: 300, value: 1 }, { t: 600, value: 30 }] }]);
  });
});
