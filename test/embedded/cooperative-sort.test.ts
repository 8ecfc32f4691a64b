import { describe, expect, test } from 'vitest';
import { runToEnd } from '../../src/backends/embedded/cooperative.js';
import { sortCooperatively } from '../../src/backends/embedded/cooperative-sort.js';

function pseudoRandom(seed: number): () => number {
  let state = seed;
  return () => ((state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
}

describe('sortCooperatively gives exactly what a stable Array.prototype.sort gives', () => {
  const random = pseudoRandom(7);
  test.each([0, 1, 2, 511, 512, 513, 1024, 3000, 20_000])('%i items with many ties, and yields over large inputs', (size) => {
    const items = Array.from({ length: size }, (_, i) => ({ key: Math.floor(random() * 50), i }));
    const compare = (a: { key: number }, b: { key: number }): number => a.key - b.key;
    const work = sortCooperatively(items, compare);
    let yields = 0;
    let step = work.next();
    while (step.done !== true) {
      yields += 1;
      step = work.next();
    }
    expect(step.value).toEqual([...items].sort(compare));
    if (size > 2048) expect(yields).toBeGreaterThan(size / 2048);
    expect(runToEnd(sortCooperatively(items, compare)).map((item) => item.i)).toEqual([...items].sort(compare).map((item) => item.i));
  });
});
