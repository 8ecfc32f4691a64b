import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { addMatchers } from '../../src/promql/add-matchers.js';
import { fillWindow } from '../../src/promql/fill-window.js';

const canary = '{track="canary"}';

const cases: Array<[string, string, string, string?]> = [
  ['a bare metric name gets braces', 'rate(x_total[{{window}}])', 'rate(x_total{track="canary"}[{{window}}])'],
  ['empty braces get the matcher alone', 'rate(x_total{}[{{window}}])', 'rate(x_total{track="canary"}[{{window}}])'],
  ['a matcher is followed by a comma and the track', 'rate(x_total{code="500"}[{{window}}])', 'rate(x_total{code="500", track="canary"}[{{window}}])'],
  ['a trailing comma is kept after the added matcher', 'rate(x_total{code="500",}[{{window}}])', 'rate(x_total{code="500", track="canary",}[{{window}}])'],
  ['the metric name as __name__ in braces', 'rate({__name__="x_total"}[{{window}}])', 'rate({__name__="x_total", track="canary"}[{{window}}])'],
  [
    'every selector of a ratio of sums by a label',
    'sum by (code) (rate(x_total{code=~"5.."}[{{window}}])) / ignoring(code) group_left sum(rate(x_total[{{window}}]))',
    'sum by (code) (rate(x_total{code=~"5..", track="canary"}[{{window}}])) / ignoring(code) group_left sum(rate(x_total{track="canary"}[{{window}}]))',
  ],
  ['a selector under an offset', 'sum(rate(x_total{a="b"}[{{window}}] offset 1m))', 'sum(rate(x_total{a="b", track="canary"}[{{window}}] offset 1m))'],
  [
    'selectors in nested functions and label_replace, whose string arguments hold braces',
    'sum(label_replace(rate(x_total[{{window}}]), "route", "{$1}", "path", "/api/(.*)"))',
    'sum(label_replace(rate(x_total{track="canary"}[{{window}}]), "route", "{$1}", "path", "/api/(.*)"))',
  ],
  [
    'both sides of or',
    'sum(rate(a_total{job="x"}[{{window}}])) or sum(rate(b_total[{{window}}]))',
    'sum(rate(a_total{job="x", track="canary"}[{{window}}])) or sum(rate(b_total{track="canary"}[{{window}}]))',
  ],
  ['a label value that contains a closing brace', 'rate(x_total{path="/a}b"}[{{window}}])', 'rate(x_total{path="/a}b", track="canary"}[{{window}}])'],
  [
    'a multi-line query with spacing inside the braces',
    'sum(\n  rate(x_total{ code = "500" }[{{window}}])\n)',
    'sum(\n  rate(x_total{ code = "500", track="canary" }[{{window}}])\n)',
  ],
  [
    'several matchers of one track, as written',
    'rate(x_total{code="500"}[{{window}}])',
    'rate(x_total{code="500", track!~"canary|shadow", zone!=""}[{{window}}])',
    '{track!~"canary|shadow", zone!=""}',
  ],
];

describe('addMatchers adds the track to every vector selector', () => {
  test.each(cases)('%s', (_sentence, template, expected, selector = canary) => {
    expect(addMatchers(template, selector)).toBe(expected);
  });

  test('refuses a selector that is not one (the model never holds one)', () => {
    expect(() => addMatchers('rate(x_total[{{window}}])', 'track="canary"')).toThrow(/expected a label selector in braces/);
  });

  test('promtool accepts every query it produces', () => {
    const dir = mkdtempSync(join(tmpdir(), 'burnrate-add-matchers-'));
    try {
      const rules = cases.map(([, template, , selector = canary], index) => ({ record: `check:q${index}`, expr: fillWindow(addMatchers(template, selector), 300) }));
      const file = join(dir, 'rules.yml');
      writeFileSync(file, JSON.stringify({ groups: [{ name: 'tracks', rules }] }));
      const run = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
      expect(run.error, 'promtool must be installed (Debian package prometheus)').toBeUndefined();
      expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
