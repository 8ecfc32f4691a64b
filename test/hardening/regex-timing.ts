import vm from 'node:vm';
import { expect } from 'vitest';

/** Generous for a busy machine: RE2 takes milliseconds here, a backtracking engine longer than the universe. */
export const deadlineMs = 5000;
/** Time for 4n over time for n: about 4 when linear; 8 leaves room for noise, far below any super-linear growth. */
export const maxGrowth = 8;
/** Below this a measurement is mostly noise (and RE2 picks another linear engine for short inputs), so the ratio is taken against at least this much. */
const floorMs = 20;

/**
 * Milliseconds `work` took, run synchronously under a watchdog: a backtracking regex cannot be interrupted any
 * other way, and the test must fail at the deadline rather than hang.
 */
export function timeSync(work: () => void, limitMs = deadlineMs): number {
  const started = performance.now();
  try {
    vm.runInNewContext('work()', { work }, { timeout: limitMs });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw new Error(`still matching after ${limitMs} ms`);
    throw error;
  }
  return performance.now() - started;
}

async function timeAsync(work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

function best(times: number[]): number {
  return Math.min(...times);
}

/** Asserts that `work(n)` and `work(4n)` both finish within the deadline and that time grows at most linearly. */
export function expectLinear(work: (n: number) => void, n: number): void {
  const small = best([0, 1, 2].map(() => timeSync(() => work(n))));
  const large = best([0, 1, 2].map(() => timeSync(() => work(4 * n))));
  expect(large).toBeLessThan(deadlineMs);
  expect(large / Math.max(small, floorMs)).toBeLessThan(maxGrowth);
}

/** expectLinear for work that returns a promise (a query); its synchronous part cannot be interrupted. */
export async function expectLinearAsync(work: (n: number) => Promise<void>, n: number): Promise<void> {
  const times = async (size: number) => {
    const out: number[] = [];
    for (let i = 0; i < 3; i++) out.push(await timeAsync(() => work(size)));
    return best(out);
  };
  const small = await times(n);
  const large = await times(4 * n);
  expect(large).toBeLessThan(deadlineMs);
  expect(large / Math.max(small, floorMs)).toBeLessThan(maxGrowth);
}

/** Patterns a backtracking engine takes exponential time on, each with a value that makes it try every path. */
export const catastrophic: ReadonlyArray<{ pattern: string; value: (n: number) => string }> = [
  { pattern: '(.*.*)*x', value: (n) => 'a'.repeat(n) },
  { pattern: '(a+)+$', value: (n) => `${'a'.repeat(n)}!` },
  { pattern: '(a|aa)+b', value: (n) => 'a'.repeat(n) },
  { pattern: '((a*)*)*b', value: (n) => 'a'.repeat(n) },
  { pattern: '(x+x+)+y', value: (n) => 'x'.repeat(n) },
  { pattern: '(\\w+\\s?)*$', value: (n) => `${'word '.repeat(n / 5)}!` },
  { pattern: '(?:(?:a{1,10}){1,10}){1,10}c', value: (n) => 'a'.repeat(n) },
];

/** 25 KB and, through expectLinear, 100 KB. */
export const valueLength = 25_000;
