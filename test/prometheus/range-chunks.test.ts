import { describe, expect, it } from 'vitest';
import { splitRange } from '../../src/backends/prometheus/range-chunks.js';

function points(chunks: { start: number; end: number }[], step: number): number[] {
  return chunks.flatMap(({ start, end }) => Array.from({ length: Math.round((end - start) / step) + 1 }, (_, k) => start + k * step));
}

describe('splitRange', () => {
  const cases: { name: string; start: number; end: number; step: number; max: number; chunks: { start: number; end: number }[] }[] = [
    { name: 'a range within the limit stays one query', start: 0, end: 100, step: 10, max: 11, chunks: [{ start: 0, end: 100 }] },
    { name: 'one point more than the limit adds a one-point chunk', start: 0, end: 110, step: 10, max: 11, chunks: [{ start: 0, end: 100 }, { start: 110, end: 110 }] },
    { name: 'an end off the grid ends on the last grid point', start: 5, end: 58, step: 10, max: 3, chunks: [{ start: 5, end: 25 }, { start: 35, end: 55 }] },
    { name: 'a single instant is one point', start: 42, end: 42, step: 60, max: 11_000, chunks: [{ start: 42, end: 42 }] },
    { name: 'an inverted range yields nothing', start: 50, end: 40, step: 10, max: 11, chunks: [] },
    { name: 'a zero step yields nothing', start: 0, end: 40, step: 0, max: 11, chunks: [] },
  ];
  it.each(cases)('$name', ({ start, end, step, max, chunks }) => {
    expect(splitRange(start, end, step, max)).toEqual(chunks);
  });

  it('covers every step of a long range exactly once', () => {
    const start = 1_700_000_000;
    const step = 30;
    const end = start + 30_000 * step + 17;
    const chunks = splitRange(start, end, step);
    expect(chunks).toHaveLength(3);
    const all = points(chunks, step);
    expect(all).toHaveLength(30_001);
    expect(new Set(all).size).toBe(30_001);
    expect(all.every((t, k) => t === start + k * step)).toBe(true);
    for (const chunk of chunks) expect((chunk.end - chunk.start) / step).toBeLessThanOrEqual(11_000);
  });
});
