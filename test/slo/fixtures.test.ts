import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { formatDiagnostic, loadSlos, type LoadResult, type Slo } from '../../src/slo/index.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures');
const badDir = join(fixtures, 'bad');
const goodDir = join(fixtures, 'good');
const options = { runbookDir: join(fixtures, 'runbooks') };

function formatted(result: LoadResult, base: string): string[] {
  return result.diagnostics.map((d) => formatDiagnostic(d).replaceAll(`${base}/`, ''));
}

const badCases = readdirSync(badDir)
  .filter((entry) => !entry.endsWith('.expected'))
  .sort();

describe('every bad fixture yields exactly its expected diagnostics', () => {
  test('there are at least 30 bad fixtures, each with an expected file', () => {
    expect(badCases.length).toBeGreaterThanOrEqual(30);
    for (const entry of badCases) expect(existsSync(join(badDir, `${entry.replace(/\.yaml$/, '')}.expected`)), entry).toBe(true);
  });

  test.each(badCases)('%s', (entry) => {
    const expected = readFileSync(join(badDir, `${entry.replace(/\.yaml$/, '')}.expected`), 'utf8').trimEnd().split('\n');
    const result = loadSlos([join(badDir, entry)], options);
    expect(formatted(result, badDir)).toEqual(expected);
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    // A file with errors contributes no SLO; the duplicate fixtures keep the first of the two.
    const documents = entry.startsWith('duplicate-name') ? 1 : errors.length > 0 ? 0 : 1;
    expect(result.slos).toHaveLength(documents);
  });

  test('loading all bad fixtures at once reports every error of every file', () => {
    const result = loadSlos([badDir], options);
    const expected = badCases.flatMap((entry) =>
      readFileSync(join(badDir, `${entry.replace(/\.yaml$/, '')}.expected`), 'utf8').trimEnd().split('\n'),
    );
    // The duplicate-name fixtures also collide with each other and the rest; compare the rest exactly.
    const lines = formatted(result, badDir).filter((line) => !line.includes('duplicate SLO name'));
    expect(lines).toEqual(expected.filter((line) => !line.includes('duplicate SLO name')));
  });
});

describe('good fixtures load into the expected models', () => {
  const result = loadSlos([goodDir], options);
  const byName = new Map(result.slos.map((slo) => [slo.name, slo]));
  const get = (name: string): Slo => {
    const slo = byName.get(name);
    if (slo === undefined) throw new Error(`missing SLO ${name}`);
    return slo;
  };

  test('they load without any diagnostic', () => {
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect([...byName.keys()].sort()).toEqual(['api-28d', 'api-7d', 'api-availability', 'api-canary', 'api-custom-windows', 'api-jobs', 'api-latency']);
  });

  test('a 28d window gets factors 13.44 / 5.6 / 2.8 / 0.933 from the default budget fractions', () => {
    const factors = get('api-28d').alerting.pairs.map((pair) => pair.factor);
    const expected = [13.44, 5.6, 2.8, 28 / 30];
    expect(factors).toHaveLength(4);
    factors.forEach((factor, index) => expect(Math.abs(factor - (expected[index] ?? NaN))).toBeLessThan(1e-9));
  });

  test('a 7d window scales the factors down to 3.36 / 1.4 / 0.7 / 0.233', () => {
    const factors = get('api-7d').alerting.pairs.map((pair) => pair.factor);
    [3.36, 1.4, 0.7, 7 / 30].forEach((expected, index) => expect(Math.abs((factors[index] ?? NaN) - expected)).toBeLessThan(1e-9));
  });

  test('the first document of a multi-document file maps every field', () => {
    const slo = get('api-availability');
    expect(slo).toEqual({
      name: 'api-availability',
      service: 'api',
      labels: { team: 'core', tier: '1' },
      description: 'API requests succeed.',
      objective: 99.9,
      window: 30 * 86_400,
      indicator: {
        numeratorKind: 'errors',
        numerator: { template: 'sum(rate(http_requests_total{service="api",code=~"5.."}[{{window}}]))', unit: 'per_second' },
        total: { template: 'sum(rate(http_requests_total{service="api"}[{{window}}]))', unit: 'per_second' },
      },
      alerting: {
        minEvents: 100,
        tiers: { page: { runbook: 'api.md', for: 120 }, ticket: { runbook: 'api.md', for: 0 } },
        pairs: [
          { severity: 'page', long: 3600, short: 300, budgetFraction: 0.02, factor: expect.closeTo(14.4, 9) },
          { severity: 'page', long: 21_600, short: 1800, budgetFraction: 0.05, factor: expect.closeTo(6, 9) },
          { severity: 'ticket', long: 86_400, short: 7200, budgetFraction: 0.1, factor: expect.closeTo(3, 9) },
          { severity: 'ticket', long: 259_200, short: 21_600, budgetFraction: 0.1, factor: expect.closeTo(1, 9) },
        ],
      },
      source: { file: join(goodDir, 'multi-document.yaml'), line: 2, column: 1 },
    });
  });

  test('the second document uses increase(), has only the ticket pairs and starts after the separator', () => {
    const slo = get('api-jobs');
    expect(slo.indicator.numerator.unit).toBe('events');
    expect(slo.indicator.total.unit).toBe('events');
    expect(slo.alerting.tiers).toEqual({ ticket: { runbook: 'api.md', for: 0 } });
    expect(slo.alerting.pairs.map((pair) => pair.severity)).toEqual(['ticket', 'ticket']);
    expect(slo.alerting.minEvents).toBe(0);
    expect(slo.description).toBe('');
    expect(slo.source.line).toBe(21);
  });

  test('good: instead of errors: is kept as a good-events numerator', () => {
    const slo = get('api-latency');
    expect(slo.indicator.numeratorKind).toBe('good');
    expect(slo.indicator.numerator.template).toContain('le="0.3"');
    expect(slo.alerting.pairs.map((pair) => [pair.severity, pair.factor])).toEqual([
      ['page', expect.closeTo(14.4, 9)],
      ['page', expect.closeTo(6, 9)],
    ]);
  });

  test('custom windows replace the default table, with short defaulting to long/12', () => {
    const slo = get('api-custom-windows');
    expect(slo.alerting.pairs).toEqual([
      { severity: 'page', long: 7200, short: 600, budgetFraction: 0.03, factor: expect.closeTo(10.8, 9) },
      { severity: 'page', long: 21_600, short: 900, budgetFraction: 0.05, factor: expect.closeTo(6, 9) },
      { severity: 'ticket', long: 172_800, short: 14_400, budgetFraction: 0.125, factor: expect.closeTo(1.875, 9) },
    ]);
    expect(slo.alerting.tiers.page?.for).toBe(60);
    expect(slo.indicator.numerator.template).toContain('grpc_code="Internal"');
  });

  test('spec.tracks is kept as written; an SLO without it has none', () => {
    expect(get('api-canary').tracks).toEqual({ canary: '{track="canary"}', stable: '{track!="canary"}' });
    expect(get('api-availability')).not.toHaveProperty('tracks');
  });
});
