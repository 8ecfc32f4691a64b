import { describe, expect, test } from 'vitest';
import { instant, newBackend } from './fixtures.js';

function fixture() {
  const { backend } = newBackend();
  backend.ingest(
    [
      'requests_total{job="api",code="200",instance="a"} 10',
      'requests_total{job="api",code="500",instance="a"} 1',
      'requests_total{job="api",code="200",instance="b"} 20',
      'requests_total{job="web",code="200",instance="c"} 5',
      'errors_total{job="api",instance="a"} 2',
      'errors_total{job="api",instance="b"} 3',
      'errors_total{job="web",instance="c"} 0',
      'limit{job="api",instance="a"} 4',
    ].join('\n'),
    { defaultTimestamp: 1000 },
  );
  return backend;
}

describe('sum', () => {
  test.each<[string, string, Record<string, number>]>([
    ['plain sum drops every label', 'sum(requests_total)', { '{}': 36 }],
    ['sum by keeps only the listed labels', 'sum by (job) (requests_total)', { '{"job":"api"}': 31, '{"job":"web"}': 5 }],
    ['sum by with the clause after the argument', 'sum(requests_total) by (code)', { '{"code":"200"}': 35, '{"code":"500"}': 1 }],
    ['sum without drops the listed labels and the name', 'sum without (instance) (requests_total)', {
      '{"code":"200","job":"api"}': 30, '{"code":"500","job":"api"}': 1, '{"code":"200","job":"web"}': 5,
    }],
    ['sum by a label nobody has groups into one empty set', 'sum by (zone) (requests_total)', { '{}': 36 }],
    ['a sum over no series yields nothing, not 0', 'sum(nothing_here)', {}],
  ])('%s', async (_name, expr, expected) => {
    expect(await instant(fixture(), expr, 1000)).toEqual(expected);
  });
});

describe('arithmetic', () => {
  test.each<[string, string, Record<string, number>]>([
    ['scalar with scalar', '1 + 2 * 3 - 4 / 8', { '{}': 6.5 }],
    ['parentheses change precedence', '(1 + 2) * 3', { '{}': 9 }],
    ['vector times scalar drops the name', 'limit * 2', { '{"instance":"a","job":"api"}': 8 }],
    ['scalar minus vector keeps the operand order', '10 - limit', { '{"instance":"a","job":"api"}': 6 }],
    ['unary minus negates and drops the name', '-limit', { '{"instance":"a","job":"api"}': -4 }],
    ['one-to-one matching pairs equal label sets', 'errors_total / limit', { '{"instance":"a","job":"api"}': 0.5 }],
    ['sums divide by matching groups', 'sum by (job) (errors_total) / sum by (job) (requests_total)', {
      '{"job":"api"}': 5 / 31, '{"job":"web"}': 0,
    }],
    ['division by zero gives IEEE infinities and NaN', 'sum by (job) (requests_total) / sum by (job) (errors_total) - 5', {
      '{"job":"api"}': 31 / 5 - 5, '{"job":"web"}': Infinity,
    }],
    ['a ratio of whole sums', 'sum(errors_total) / sum(requests_total)', { '{}': 5 / 36 }],
  ])('%s', async (_name, expr, expected) => {
    expect(await instant(fixture(), expr, 1000)).toEqual(expected);
  });

  test('a match group with two series on the left is many-to-one and needs group_left', async () => {
    await expect(instant(fixture(), '{__name__=~"errors_total|limit"} / errors_total', 1000)).rejects.toThrow(
      'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)',
    );
  });

  test('a match group with two series on the right is an error', async () => {
    await expect(instant(fixture(), 'errors_total / {__name__=~"errors_total|limit"}', 1000)).rejects.toThrow(
      'found duplicate series for the match group {instance="a", job="api"} on the right hand-side of the operation',
    );
  });

  test('series without a partner are dropped', async () => {
    expect(await instant(fixture(), 'sum without (code) (requests_total) / errors_total', 1000)).toEqual({
      '{"instance":"a","job":"api"}': 5.5, '{"instance":"b","job":"api"}': 20 / 3, '{"instance":"c","job":"web"}': Infinity,
    });
    expect(await instant(fixture(), 'requests_total / errors_total', 1000)).toEqual({});
  });
});
