/** Prometheus refuses a range query whose `(end - start) / step` exceeds 11,000 (`exceeded maximum resolution`). */
export const maxPointsPerQuery = 11_000;

export interface RangeChunk {
  start: number;
  end: number;
}

/**
 * Splits `[start, end]` at `step` into consecutive ranges of at most `maxPoints` evaluation points each. Every
 * chunk starts on the grid `start + k·step` and ends on its last point, so chunks neither overlap nor skip a step.
 */
export function splitRange(start: number, end: number, step: number, maxPoints = maxPointsPerQuery): RangeChunk[] {
  if (!(step > 0) || !Number.isFinite(start) || !Number.isFinite(end) || end < start) return [];
  // The epsilon absorbs float error when `end` lies on the grid.
  const lastIndex = Math.floor((end - start) / step + 1e-9);
  const chunks: RangeChunk[] = [];
  for (let first = 0; first <= lastIndex; first += maxPoints) {
    const last = Math.min(first + maxPoints - 1, lastIndex);
    chunks.push({ start: start + first * step, end: start + last * step });
  }
  return chunks;
}
