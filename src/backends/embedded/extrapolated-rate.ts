/**
 * Prometheus 2.42 `extrapolatedRate` for counters, over an already selected window of float samples
 * (left-closed range [rangeEnd − range, rangeEnd], staleness markers removed).
 */
export interface RateWindow {
  firstT: number;
  firstValue: number;
  lastT: number;
  /** Number of samples in the window; below 2 there is no result. */
  count: number;
  /** last − first plus, for every drop between neighbours, the value before the drop (added in time order). */
  increase: number;
  rangeMs: number;
  rangeEndMs: number;
}

/** Go's `time.Duration.Seconds()` for a millisecond duration. */
function durationSeconds(ms: number): number {
  const whole = Math.trunc(ms / 1000);
  return whole + ((ms - whole * 1000) * 1e6) / 1e9;
}

/** Returns the extrapolated increase (or per-second rate), or undefined when the window has fewer than 2 samples. */
export function extrapolatedRate(window: RateWindow, isRate: boolean): number | undefined {
  const { firstT, firstValue, lastT, count, rangeMs, rangeEndMs } = window;
  if (count < 2) return undefined;
  let result = window.increase;
  const rangeStartMs = rangeEndMs - rangeMs;
  let durationToStart = (firstT - rangeStartMs) / 1000;
  const durationToEnd = (rangeEndMs - lastT) / 1000;
  const sampledInterval = (lastT - firstT) / 1000;
  const averageInterval = sampledInterval / (count - 1);
  if (result > 0 && firstValue >= 0) {
    // A counter cannot go below zero: do not extrapolate the start past the point where it would reach zero.
    const durationToZero = sampledInterval * (firstValue / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  const threshold = averageInterval * 1.1;
  let extrapolateTo = sampledInterval;
  extrapolateTo += durationToStart < threshold ? durationToStart : averageInterval / 2;
  extrapolateTo += durationToEnd < threshold ? durationToEnd : averageInterval / 2;
  let factor = extrapolateTo / sampledInterval;
  if (isRate) factor /= durationSeconds(rangeMs);
  result *= factor;
  return result;
}

/** The window's counter increase as Prometheus sums it: last − first, then each reset's previous value in order. */
export function counterIncrease(values: ArrayLike<number>, from: number, to: number): number {
  let result = (values[to] as number) - (values[from] as number);
  for (let i = from + 1; i <= to; i++) {
    const previous = values[i - 1] as number;
    if ((values[i] as number) < previous) result += previous;
  }
  return result;
}
