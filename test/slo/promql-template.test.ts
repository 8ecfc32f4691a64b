import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { analyzeTemplate } from '../../src/promql/analyze-template.js';
import { fillWindow } from '../../src/promql/fill-window.js';
import { parsePromql } from '../../src/promql/syntax.js';

describe('fillWindow', () => {
  test.each([
    ['five minutes is 5m', 300, '5m'],
    ['one hour is 1h', 3600, '1h'],
    ['ninety minutes stay minutes', 5400, '90m'],
    ['three days is 3d', 259_200, '3d'],
    ['seven days is 1w', 604_800, '1w'],
    ['thirty days stay days', 2_592_000, '30d'],
    ['25 seconds stay seconds', 25, '25s'],
  ])('%s', (_name, seconds, duration) => {
    expect(fillWindow('sum(rate(a[{{window}}])) / sum(rate(b[{{window}}]))', seconds)).toBe(
      `sum(rate(a[${duration}])) / sum(rate(b[${duration}]))`,
    );
  });

  test.each([['zero', 0], ['a fraction', 7.5], ['a negative number', -60]])('rejects %s of seconds', (_name, seconds) => {
    expect(() => fillWindow('rate(a[{{window}}])', seconds)).toThrow(RangeError);
  });

  test('promtool accepts every duration it produces', () => {
    const windows = [25, 60, 300, 1800, 3600, 5400, 7200, 21_600, 86_400, 172_800, 259_200, 604_800, 2_419_200, 2_592_000];
    const dir = mkdtempSync(join(tmpdir(), 'burnrate-fill-'));
    try {
      const rules = windows.map((seconds) => ({ record: `check:w${seconds}`, expr: fillWindow('sum(rate(x_total[{{window}}]))', seconds) }));
      const file = join(dir, 'rules.yml');
      writeFileSync(file, JSON.stringify({ groups: [{ name: 'fill', rules }] }));
      const run = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
      expect(run.error, 'promtool must be installed (Debian package prometheus)').toBeUndefined();
      expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('analyzeTemplate accepts', () => {
  test.each([
    ['rate() in an aggregation as per-second values', 'sum(rate(x_total{a="b"}[{{window}}]))', 'per_second'],
    ['increase() as event counts', 'sum by (code) (increase(x_total[{{window}}]))', 'events'],
    ['the same function used twice', 'sum(rate(a_total[{{window}}])) + sum(rate(b_total[{{window}}]))', 'per_second'],
    ['a multi-line query', 'sum(\n  rate(x_total[{{window}}])\n)', 'per_second'],
    ['an offset after the range', 'sum(rate(x_total[{{window}}] offset 1m))', 'per_second'],
  ])('%s', (_name, template, unit) => {
    expect(analyzeTemplate(template)).toEqual({ ok: true, unit });
  });
});

describe('analyzeTemplate rejects, saying what is expected', () => {
  test.each([
    ['a query without {{window}}', 'sum(rate(x_total[5m]))', 'the query has no {{window}}'],
    ['irate(), which is not event-weighted', 'sum(irate(x_total[{{window}}]))', 'got irate(): irate() uses only the last two samples'],
    ['an _over_time function', 'avg_over_time(ratio[{{window}}])', 'got avg_over_time()'],
    ['delta()', 'sum(delta(x[{{window}}]))', 'got delta()'],
    ['rate() and increase() mixed', 'rate(a[{{window}}]) / increase(b[{{window}}])', 'got {{window}} in both rate() and increase()'],
    ['a bare range selector', 'x_total[{{window}}]', 'got a range selector that no function is applied to'],
    ['a subquery range', 'max_over_time(rate(x[5m])[{{window}}:1m])', 'got {{window}} as a subquery range'],
    ['an offset', 'sum(rate(x[5m] offset {{window}}))', 'got {{window}} as an offset'],
    ['a label value', 'sum(rate(x{w="{{window}}"}[5m]))', 'got {{window}} inside a string'],
    ['spaces in the placeholder', 'sum(rate(x[{{ window }}]))', 'write the placeholder as {{window}}, without spaces'],
    ['an unknown placeholder', 'sum(rate(x[{{range}}]))', 'unknown placeholder {{range}}'],
    ['an unclosed parenthesis', 'sum(rate(x[{{window}}])', 'invalid PromQL: syntax error at column 24: unexpected end of query'],
    ['two selectors side by side', 'sum(rate(x[{{window}}])) foo', 'invalid PromQL: syntax error at column 26 near "foo"'],
  ])('%s', (_name, template, message) => {
    const analysis = analyzeTemplate(template);
    expect(analysis.ok).toBe(false);
    if (!analysis.ok) expect(analysis.problems.map((p) => p.message).join('\n')).toContain(message);
  });
});

describe('parsePromql', () => {
  test('finds no error in a valid query and reports an empty one', () => {
    expect(parsePromql('histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m])))').ok).toBe(true);
    expect(parsePromql('  ')).toEqual({ ok: false, error: { offset: 0, message: 'the query is empty' } });
  });
});
