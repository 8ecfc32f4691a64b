import type { Work } from './cooperative.js';

/** Items sorted in one go; larger inputs are sorted in runs of this size and merged, yielding between parts. */
const runLength = 512;
/** Elements merged between yields. */
const mergeSlice = 2048;

/**
 * A stable sort that yields to the cooperative runner, so that sorting tens of thousands of series never holds
 * the event loop for long. The result is exactly what a stable `Array.prototype.sort` with `compare` gives.
 */
export function* sortCooperatively<T>(items: readonly T[], compare: (a: T, b: T) => number): Work<T[]> {
  let sorted = items.slice();
  if (sorted.length <= runLength) return sorted.sort(compare);
  for (let from = 0; from < sorted.length; from += runLength) {
    const run = sorted.slice(from, from + runLength).sort(compare);
    for (let i = 0; i < run.length; i++) sorted[from + i] = run[i] as T;
    yield;
  }
  let target = new Array<T>(sorted.length);
  for (let width = runLength; width < sorted.length; width *= 2) {
    let sinceYield = 0;
    for (let left = 0; left < sorted.length; left += 2 * width) {
      const middle = Math.min(left + width, sorted.length);
      const end = Math.min(left + 2 * width, sorted.length);
      let i = left;
      let j = middle;
      let k = left;
      // Ties take the left run first: stable.
      while (i < middle && j < end) target[k++] = compare(sorted[j] as T, sorted[i] as T) < 0 ? (sorted[j++] as T) : (sorted[i++] as T);
      while (i < middle) target[k++] = sorted[i++] as T;
      while (j < end) target[k++] = sorted[j++] as T;
      sinceYield += end - left;
      if (sinceYield >= mergeSlice) {
        sinceYield = 0;
        yield;
      }
    }
    [sorted, target] = [target, sorted];
  }
  return sorted;
}
