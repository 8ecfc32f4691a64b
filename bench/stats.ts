export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Wall-clock milliseconds `fn` took, with its result. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ millis: number; result: T }> {
  const started = performance.now();
  const result = await fn();
  return { millis: performance.now() - started, result };
}
