import { compileAnchoredRe2 } from '../src/labels/re2-regex.js';
import { median } from './stats.js';

/** Ordinary label patterns, each with values as they come: a few repeating ones and many distinct ones. */
const cases: ReadonlyArray<{ pattern: string; value: (i: number) => string }> = [
  { pattern: '5..', value: (i) => String(200 + (i % 400)) },
  { pattern: 'checkout|payments', value: (i) => ['checkout', 'payments', 'search', 'catalog'][i % 4]! + (i % 7 === 0 ? '' : `-${i}`) },
  { pattern: 'svc-1.*', value: (i) => `svc-${i}-availability` },
  { pattern: '.*-availability', value: (i) => `svc-${i}-${i % 3 ? 'availability' : 'latency'}` },
  { pattern: '(?i)page|ticket', value: (i) => ['PAGE', 'ticket', 'info'][i % 3]! + (i % 5 === 0 ? '' : String(i)) },
  { pattern: '[a-z]+-[0-9]+', value: (i) => `host-${i}` },
];

export interface RegexBenchRow {
  pattern: string;
  /** Nanoseconds per test: JavaScript's backtracking RegExp (the former engine), then RE2. */
  repeatedJs: number;
  repeatedRe2: number;
  distinctJs: number;
  distinctRe2: number;
}

// Keeps the engine from dropping tests whose answers go unused.
let sink = 0;

function nsPerTest(test: (value: string) => boolean, values: readonly string[], rounds: number): number {
  const samples: number[] = [];
  // The first round warms the code up and is not counted.
  for (let round = 0; round < 6; round++) {
    const started = performance.now();
    let hits = 0;
    for (let r = 0; r < rounds; r++) for (const value of values) hits += test(value) ? 1 : 0;
    if (round > 0) samples.push(((performance.now() - started) * 1e6) / (rounds * values.length));
    sink += hits;
  }
  return median(samples);
}

/** The former engine for these patterns: an anchored JavaScript RegExp (flags moved out of the pattern). */
function jsRegExp(pattern: string): RegExp {
  const caseless = pattern.startsWith('(?i)');
  return new RegExp(`^(?:${caseless ? pattern.slice(4) : pattern})$`, caseless ? 'iu' : 'u');
}

export function regexBench(quick: boolean): RegexBenchRow[] {
  const distinctCount = quick ? 5_000 : 20_000;
  return cases.map(({ pattern, value }) => {
    const js = jsRegExp(pattern);
    const re2 = compileAnchoredRe2(pattern);
    const repeated = Array.from({ length: 50 }, (_, i) => value(i));
    const distinct = Array.from({ length: distinctCount }, (_, i) => value(i));
    for (const v of distinct) if (js.test(v) !== re2.test(v)) throw new Error(`engines disagree on ${pattern} for ${v}`);
    return {
      pattern,
      repeatedJs: nsPerTest((v) => js.test(v), repeated, quick ? 200 : 2000),
      repeatedRe2: nsPerTest((v) => re2.test(v), repeated, quick ? 200 : 2000),
      distinctJs: nsPerTest((v) => js.test(v), distinct, 1),
      distinctRe2: nsPerTest((v) => re2.test(v), distinct, 1),
    };
  });
}

export const regexSink = (): number => sink;

export function regexTable(rows: readonly RegexBenchRow[]): string {
  const ns = (value: number) => `${value.toFixed(0)} ns`;
  const lines = [
    '| pattern | repeated values: JS RegExp | RE2 | ratio | distinct values: JS RegExp | RE2 | ratio |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) =>
      `| \`${r.pattern.replace(/\|/g, '\\|')}\` | ${ns(r.repeatedJs)} | ${ns(r.repeatedRe2)} | ${(r.repeatedRe2 / r.repeatedJs).toFixed(1)}x | ${ns(r.distinctJs)} | ${ns(r.distinctRe2)} | ${(r.distinctRe2 / r.distinctJs).toFixed(1)}x |`,
    ),
  ];
  return lines.join('\n');
}
