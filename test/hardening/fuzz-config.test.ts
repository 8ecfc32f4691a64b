import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load-config.js';
import { formatDiagnostic, loadSloText } from '../../src/slo/index.js';
import { seededRandom } from '../crash/prng.js';

/**
 * Mutations of the README's burnrate.yaml and the shipped SLO files (lines deleted, duplicated, swapped or
 * re-indented, values of other types, huge numbers, random unicode, aliases and alias bombs, deep nesting,
 * truncation): each result is valid settings (or SLOs) or diagnostics in the `file:line:col field: message`
 * form, never another exception, each case within a time bound. Replay a failure with
 * BURNRATE_FUZZ_SEED=<seed printed below>; BURNRATE_FUZZ_CASES sets the number of cases per loader.
 */
const seed = process.env['BURNRATE_FUZZ_SEED'] !== undefined ? Number(process.env['BURNRATE_FUZZ_SEED']) : Math.floor(Math.random() * 2 ** 32);
const cases = Number(process.env['BURNRATE_FUZZ_CASES'] ?? 300);
/** Far above a case's normal few milliseconds, on a busy machine. */
const perCaseMs = 2000;
console.log(`fuzz-config seed ${seed} (replay: BURNRATE_FUZZ_SEED=${seed}), ${cases} cases per loader`);

const root = join(import.meta.dirname, '..', '..');
const configExample = readFileSync(join(root, 'test', 'fixtures', 'config', 'readme-example.yaml'), 'utf8');
const sloExamples = ['payments.yaml', 'catalog.yaml', 'search.yaml'].map((name) => readFileSync(join(root, 'slos', name), 'utf8'));
const env = { BURNRATE_CI_TOKEN: 'ci-token', BURNRATE_READ_TOKEN: 'read-token', SLACK_TOKEN: 'xoxb-test', SMTP_PASSWORD: 'secret' };
const dir = mkdtempSync(join(tmpdir(), 'burnrate-fuzz-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Mutation = (lines: string[], pick: Pick) => string[];

interface Pick {
  int(n: number): number;
  one<T>(items: readonly T[]): T;
}

const oddValues = ['[]', '{}', '0', '-1', '1e309', '-1e309', '99999999999999999999999999', '0.0000000000000001', 'true', 'null', '~', '.inf', '-.nan', '0x1F', '0o17', '2026-02-30', '"\u202e\u200b"', "''", '"\\u0000"', '!!binary aGVsbG8=', '!!str', '[1, [2, [3]]]', '{a: {b: {c: 1}}}', '*undefined_alias', '&anchor value', '|', '>-', '"unterminated', "'x'y"];
const unicode = ['\u0000', '\u0007', '\t', '\r', '\u00a0', '\u200b', '\u202e', '\ufeff', '\ud800', '\udfff', '😀', 'ﬁ', 'é', '\u0301', '\u2028', '\u{10ffff}', ':', '#', '- ', '{', '[', '&a', '*a', '!', '%', '@', '`', '"', "'"];

const valueOf = /^(\s*(?:- )?[^\s#:][^:#]*:\s+)(\S.*)$/;

const mutations: Record<string, Mutation> = {
  'delete a line': (lines, p) => lines.filter((_, i) => i !== p.int(lines.length)),
  'duplicate a line': (lines, p) => {
    const i = p.int(lines.length);
    return [...lines.slice(0, i + 1), lines[i] ?? '', ...lines.slice(i + 1)];
  },
  'swap two lines': (lines, p) => {
    const copy = [...lines];
    const a = p.int(copy.length);
    const b = p.int(copy.length);
    [copy[a], copy[b]] = [copy[b] ?? '', copy[a] ?? ''];
    return copy;
  },
  're-indent a line': (lines, p) => lines.map((line, i) => (i === p.int(lines.length) ? (p.int(2) === 0 ? ` ${line}` : line.replace(/^ {1,2}/, '')) : line)),
  'a value of another type': (lines, p) => {
    const candidates = lines.flatMap((line, i) => (valueOf.test(line) ? [i] : []));
    if (candidates.length === 0) return lines;
    const i = p.one(candidates);
    return lines.map((line, j) => (j === i ? line.replace(valueOf, (_m, key: string) => `${key}${p.one(oddValues)}`) : line));
  },
  'a huge number': (lines, p) => {
    const huge = p.one(['1e308', '1e309', '123456789012345678901234567890', '-99999999999999999999', '9007199254740993', '1' + '0'.repeat(400)]);
    const text = lines.join('\n').replace(/\b\d+(\.\d+)?\b/g, (m) => (p.int(3) === 0 ? huge : m));
    return text.split('\n');
  },
  'random unicode': (lines, p) => {
    const i = p.int(lines.length);
    const line = lines[i] ?? '';
    const at = p.int(line.length + 1);
    const inserted = Array.from({ length: 1 + p.int(4) }, () => p.one(unicode)).join('');
    return lines.map((l, j) => (j === i ? `${line.slice(0, at)}${inserted}${line.slice(at)}` : l));
  },
  'an alias of an anchor': (lines, p) => {
    const withValue = lines.flatMap((line, i) => (valueOf.test(line) ? [i] : []));
    if (withValue.length < 2) return lines;
    const from = p.one(withValue);
    const to = p.one(withValue);
    return lines.map((line, j) => (j === from ? line.replace(valueOf, (_m, key: string, value: string) => `${key}&x ${value}`) : j === to ? line.replace(valueOf, (_m, key: string) => `${key}*x`) : line));
  },
  'an alias bomb': (lines) => [...lines, 'bomb0: &b0 [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 6 }, (_, i) => `bomb${i + 1}: &b${i + 1} [${Array(10).fill(`*b${i}`).join(', ')}]`)],
  'deep flow nesting': (lines, p) => {
    const depth = p.one([30, 65, 200, 5000, 30_000]);
    const i = p.int(lines.length);
    return lines.map((line, j) => (j === i && valueOf.test(line) ? line.replace(valueOf, (_m, key: string) => `${key}${'['.repeat(depth)}${']'.repeat(depth)}`) : line));
  },
  'deep block nesting': (lines, p) => {
    const depth = p.one([70, 500, 1200]);
    return [...lines, ...Array.from({ length: depth }, (_, i) => `${' '.repeat(i)}deep:`), `${' '.repeat(depth)}1`];
  },
  'truncate': (lines, p) => {
    const text = lines.join('\n');
    return text.slice(0, p.int(text.length)).split('\n');
  },
  'a tab for indentation': (lines, p) => lines.map((line, i) => (i === p.int(lines.length) ? line.replace(/^ +/, '\t') : line)),
  'a duplicated key': (lines, p) => {
    const keys = lines.flatMap((line, i) => (/^\w+:/.test(line) ? [i] : []));
    return keys.length === 0 ? lines : [...lines, `${(lines[p.one(keys)] ?? '').split(':')[0]}: again`];
  },
};
const names = Object.keys(mutations);

function mutate(text: string, random: () => number): { text: string; applied: string[] } {
  const pick: Pick = { int: (n) => Math.floor(random() * Math.max(n, 1)), one: (items) => items[Math.floor(random() * items.length)]! };
  let lines = text.split('\n');
  const applied: string[] = [];
  for (let k = 0, n = 1 + pick.int(3); k < n; k++) {
    const name = pick.one(names);
    applied.push(name);
    lines = mutations[name]!(lines, pick);
  }
  return { text: lines.join('\n'), applied };
}

/** `file:line:col field: message` or `file:line:col: message`, line and column from 1. */
const diagnosticLine = (file: string) => new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:[1-9]\\d*:[1-9]\\d*(?: [^\\n]+?)?: \\S[^\\n]*$`);

describe(`fuzzing the config loader and the SLO loader (seed ${seed})`, () => {
  it(`burnrate.yaml: ${cases} mutations give settings or file:line:col diagnostics`, () => {
    const random = seededRandom(seed);
    const file = join(dir, 'burnrate.yaml');
    const outcomes = { valid: 0, invalid: 0 };
    for (let i = 0; i < cases; i++) {
      const { text, applied } = mutate(configExample, random);
      const what = `seed ${seed} case ${i} (${applied.join(', ')})`;
      writeFileSync(file, text);
      const started = performance.now();
      try {
        loadConfig(file, true, {}, dir, env);
        outcomes.valid++;
      } catch (error) {
        if (!(error instanceof ConfigError)) throw new Error(`${what}: threw ${String(error)}\n--- input ---\n${text.slice(0, 2000)}`, { cause: error });
        expect(error.diagnostics.length, what).toBeGreaterThan(0);
        for (const line of error.message.split('\n')) expect(line, what).toMatch(diagnosticLine(file));
        outcomes.invalid++;
      }
      expect(performance.now() - started, `${what}: took too long`).toBeLessThan(perCaseMs);
    }
    console.log(`fuzz-config burnrate.yaml: ${outcomes.valid} valid, ${outcomes.invalid} refused with diagnostics`);
    expect(outcomes.invalid).toBeGreaterThan(0);
  }, 240_000);

  it(`SLO files: ${cases} mutations give SLOs or file:line:col diagnostics`, () => {
    const random = seededRandom(seed ^ 0x9e3779b9);
    const runbookDir = join(root, 'runbooks');
    const outcomes = { valid: 0, invalid: 0 };
    for (let i = 0; i < cases; i++) {
      const source = sloExamples[Math.floor(random() * sloExamples.length)]!;
      const { text, applied } = mutate(source, random);
      const what = `seed ${seed} case ${i} (${applied.join(', ')})`;
      const started = performance.now();
      let result: ReturnType<typeof loadSloText>;
      try {
        result = loadSloText(text, 'slos/fuzzed.yaml', { runbookDir });
      } catch (error) {
        throw new Error(`${what}: threw ${String(error)}\n--- input ---\n${text.slice(0, 2000)}`, { cause: error });
      }
      for (const d of result.diagnostics) expect(formatDiagnostic(d), what).toMatch(diagnosticLine('slos/fuzzed.yaml'));
      if (result.diagnostics.some((d) => d.severity === 'error')) outcomes.invalid++;
      else outcomes.valid++;
      expect(performance.now() - started, `${what}: took too long`).toBeLessThan(perCaseMs);
    }
    console.log(`fuzz-config SLO files: ${outcomes.valid} valid, ${outcomes.invalid} refused with diagnostics`);
    expect(outcomes.invalid).toBeGreaterThan(0);
  }, 240_000);
});
