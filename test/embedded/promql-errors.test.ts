import { describe, expect, test } from 'vitest';
import { BackendError } from '../../src/backends/backend.js';
import { newBackend } from './fixtures.js';

async function failure(expr: string): Promise<BackendError> {
  const { backend } = newBackend();
  backend.ingest('a_total{job="x"} 1 0\nb_total{job="x"} 1 0\n');
  try {
    await backend.queryRange({ expr, start: 0, end: 60, step: 15 });
  } catch (error) {
    if (error instanceof BackendError) return error;
    throw error;
  }
  throw new Error(`expected ${expr} to fail`);
}

const subset =
  "is outside the embedded store's PromQL subset (sum, sum by/without, rate, increase, label_replace, label matchers, + - * /, and/or/unless); " +
  'use the Prometheus backend for it';

describe('constructs outside the subset are unsupported_query, with the construct named', () => {
  test.each([
    ['histogram_quantile(0.9, rate(a_total[5m]))', `histogram_quantile ${subset}`],
    ['avg(a_total)', `the avg aggregation ${subset}`],
    ['irate(a_total[5m])', `irate ${subset}`],
    ['a_total offset 5m', `the offset modifier ${subset}`],
    ['a_total @ 100', `the @ modifier ${subset}`],
    ['rate(a_total[5m:1m])', `a subquery ${subset}`],
    ['a_total > 1', `the > operator ${subset}`],
    ['label_join(a_total, "x", ",", "job")', `label_join ${subset}`],
    ['a_total or on(job) b_total', `vector matching (on/ignoring/group_left/group_right) ${subset}`],
    ['a_total % 2', `the % operator ${subset}`],
    ['a_total / on(job) b_total', `vector matching (on/ignoring/group_left/group_right) ${subset}`],
  ])('%s', async (expr, message) => {
    const error = await failure(expr);
    expect(error.code).toBe('unsupported_query');
    expect(error.message).toBe(message);
    expect(error.retryable).toBe(false);
  });
});

describe('malformed queries are bad_query', () => {
  test.each([
    ['an unclosed call', 'sum(a_total', 'syntax error'],
    ['a selector with only empty matchers', '{job=""}', 'vector selector must contain at least one non-empty matcher'],
    ['an invalid regex', 'a_total{job=~"("}', 'invalid regular expression "(" for label job'],
    ['rate of an instant vector', 'rate(a_total)', 'expected type range vector in call to function "rate", got instant vector'],
    ['sum of a scalar', 'sum(1)', 'expected type instant vector in aggregation expression, got scalar'],
    ['a range vector result', 'a_total[5m]', 'invalid expression type "range vector" for range query'],
    ['arithmetic on a range vector', 'a_total[5m] * 2', 'binary expression must contain only scalar and instant vector types'],
    ['the same labels on both sides after dropping names', '{__name__=~"a_total|b_total"} + 1', 'vector cannot contain metrics with the same labelset'],
  ])('%s', async (_name, expr, message) => {
    const error = await failure(expr);
    expect(error.code).toBe('bad_query');
    expect(error.message).toContain(message);
  });
});
