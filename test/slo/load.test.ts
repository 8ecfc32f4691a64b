import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { formatDiagnostic, loadSlos, loadSloText } from '../../src/slo/index.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures');
const options = { runbookDir: join(fixtures, 'runbooks') };
const valid = readFileSync(join(fixtures, 'good', 'window-28d.yaml'), 'utf8');
const named = (name: string): string => valid.replace('name: api-28d', `name: ${name}`);

const scratch = mkdtempSync(join(tmpdir(), 'burnrate-load-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('formatDiagnostic', () => {
  test.each([
    ['an error reads file:line:col path: message', 'error', 'a.yaml:3:5 spec.window: expected a duration'],
    ['a warning adds "warning:" before the message', 'warning', 'a.yaml:3:5 spec.window: warning: expected a duration'],
  ] as const)('%s', (_name, severity, text) => {
    expect(formatDiagnostic({ severity, file: 'a.yaml', line: 3, column: 5, path: 'spec.window', message: 'expected a duration' })).toBe(text);
  });

  test('a finding about a whole document has no path', () => {
    expect(formatDiagnostic({ severity: 'error', file: 'a.yaml', line: 1, column: 1, path: '', message: 'invalid YAML: x' })).toBe(
      'a.yaml:1:1: invalid YAML: x',
    );
  });
});

describe('loadSloText', () => {
  test('names the given file in sources and diagnostics, e.g. for stdin', () => {
    const result = loadSloText(`${valid}---\n${named('Bad')}`, '<stdin>', options);
    expect(result.slos.map((slo) => [slo.name, slo.source])).toEqual([['api-28d', { file: '<stdin>', line: 1, column: 1 }]]);
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      expect.stringMatching(/^<stdin>:20:9 metadata\.name: expected a lowercase name/),
    ]);
  });

  test('empty text and comment-only text hold no SLOs and no findings', () => {
    expect(loadSloText('', 'empty.yaml', options)).toEqual({ slos: [], diagnostics: [] });
    expect(loadSloText('# nothing yet\n', 'empty.yaml', options)).toEqual({ slos: [], diagnostics: [] });
  });

  test('a YAML syntax error in one document does not hide the SLO in the next', () => {
    const result = loadSloText(`a: [1, 2\nb: 3\n---\n${valid}`, 'mixed.yaml', options);
    expect(result.slos.map((slo) => slo.name)).toEqual(['api-28d']);
    expect(result.slos[0]?.source.line).toBe(4);
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({ severity: 'error', line: 2, path: '' });
    expect(result.diagnostics[0]?.message).toMatch(/^invalid YAML: /);
  });

  test.each([
    ['a plain one-line query points at the column of the mistake', 'total: sum(rate(x[{{window}}]) foo', 12, 38],
    ['a double-quoted one points past the quote', 'total: "sum(rate(x[{{window}}]) foo"', 12, 39],
    ['an escaped one points at its start', 'total: "sum(rate(x[{{window}}]) \\"foo\\""', 12, 14],
    ['a block scalar points at its start', 'total: |\n        sum(rate(x[{{window}}])) foo', 12, 14],
  ])('%s', (_name, line, row, column) => {
    const text = valid.replace(/ {6}total: .*\n/, `      ${line}\n`);
    const [finding] = loadSloText(text, 'q.yaml', options).diagnostics;
    expect(finding).toMatchObject({ path: 'spec.indicator.ratio.total', line: row, column });
    expect(finding?.message).toMatch(/^invalid PromQL: syntax error at column \d+/);
  });

  test('an SLO with only warnings is loaded', () => {
    const result = loadSloText(valid.replace('objective: 99.9', 'objective: 90'), 'w.yaml', options);
    expect(result.slos).toHaveLength(1);
    expect(result.diagnostics.map((d) => d.severity)).toEqual(['warning']);
  });

  test('every error of a document is reported, not just the first', () => {
    const text = valid.replace('objective: 99.9', 'objective: 100').replace('window: 28d', 'window: 28').replace('service: api', 'service: API');
    const result = loadSloText(text, 'many.yaml', options);
    expect(result.diagnostics.map((d) => d.path)).toEqual(['metadata.service', 'spec.objective', 'spec.window']);
    expect(result.slos).toEqual([]);
  });
});

describe('loadSlos', () => {
  test('searches directories recursively for .yaml and .yml, in name order, skipping other files', () => {
    const dir = join(scratch, 'tree');
    mkdirSync(join(dir, 'team', 'deeper'), { recursive: true });
    mkdirSync(join(dir, '.hidden'), { recursive: true });
    writeFileSync(join(dir, 'b.yaml'), named('from-b'));
    writeFileSync(join(dir, 'team', 'deeper', 'c.yml'), named('from-c'));
    writeFileSync(join(dir, 'a.yaml'), named('from-a'));
    writeFileSync(join(dir, 'notes.txt'), 'not yaml: [');
    writeFileSync(join(dir, '.hidden', 'd.yaml'), named('from-hidden'));
    const result = loadSlos([dir], options);
    expect(result.diagnostics).toEqual([]);
    expect(result.slos.map((slo) => slo.name)).toEqual(['from-a', 'from-b', 'from-c']);
  });

  test('reports the errors of every file in one run and keeps the good SLOs', () => {
    const dir = join(scratch, 'errors');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'one.yaml'), valid.replace('window: 28d', 'window: 28days'));
    writeFileSync(join(dir, 'two.yaml'), named('two').replace('objective: 99.9', 'objective: 0'));
    writeFileSync(join(dir, 'three.yaml'), named('three'));
    const result = loadSlos([join(dir, 'one.yaml'), join(dir, 'two.yaml'), join(dir, 'three.yaml')], options);
    expect(result.diagnostics.map((d) => `${d.file.slice(dir.length + 1)} ${d.path}`)).toEqual(['one.yaml spec.window', 'two.yaml spec.objective']);
    expect(result.slos.map((slo) => slo.name)).toEqual(['three']);
  });

  test('a duplicate name points at the second definition and names the first', () => {
    const dir = join(scratch, 'dupes');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'first.yaml'), `# first\n${named('same')}`);
    writeFileSync(join(dir, 'second.yaml'), named('same'));
    const result = loadSlos([dir], options);
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      `${join(dir, 'second.yaml')}:4:9 metadata.name: duplicate SLO name "same": first defined at ${join(dir, 'first.yaml')}:5`,
    ]);
    expect(result.slos.map((slo) => slo.source.file)).toEqual([join(dir, 'first.yaml')]);
  });

  test('a path that does not exist is an error naming it', () => {
    const missing = join(scratch, 'nope.yaml');
    expect(loadSlos([missing], options).diagnostics.map(formatDiagnostic)).toEqual([`${missing}:1:1: cannot read: no such file or directory`]);
  });

  test('a runbook is looked up under the given runbook directory', () => {
    const other = join(scratch, 'runbooks');
    mkdirSync(other, { recursive: true });
    const result = loadSloText(valid, 'x.yaml', { runbookDir: other });
    expect(result.diagnostics.map((d) => `${d.path}: ${d.message}`)).toEqual([
      'spec.alerting.page.runbook: runbook "api.md" not found in the runbook directory',
      'spec.alerting.ticket.runbook: runbook "api.md" not found in the runbook directory',
    ]);
    writeFileSync(join(other, 'api.md'), '# API\n');
    expect(loadSloText(valid, 'x.yaml', { runbookDir: other }).diagnostics).toEqual([]);
  });

  test('a PromQL error does not hide a runbook problem or a window problem of the same document', () => {
    const text = valid
      .replace('[{{window}}]))\n', '[{{window}}])\n')
      .replace('page: {runbook: api.md}', 'page: {runbook: gone.md}')
      .replace('  alerting:\n', '  alerting:\n    windows:\n      - {severity: page, long: 1h, short: 1h, budgetPercent: 2}\n      - {severity: ticket, long: 1d, budgetPercent: 10}\n');
    expect(loadSloText(text, 'x.yaml', options).diagnostics.map((d) => `${d.line} ${d.path}`)).toEqual([
      '11 spec.indicator.ratio.errors',
      '15 spec.alerting.windows[0].short',
      '17 spec.alerting.page.runbook',
    ]);
  });

  test('a field that failed the schema is not checked again by a later stage', () => {
    const text = valid.replace(/errors: .*\n/, 'errors: 42\n').replace('page: {runbook: api.md}', 'page: {runbook: 7}');
    expect(loadSloText(text, 'x.yaml', options).diagnostics.map((d) => `${d.path}: ${d.message}`)).toEqual([
      'spec.indicator.ratio.errors: expected a PromQL query template with {{window}}, got 42',
      'spec.alerting.page.runbook: expected a runbook file name relative to the runbook directory, got 7',
    ]);
  });
});
