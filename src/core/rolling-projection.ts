/**
 * Events of a rolling window as it will age out: the errors and events of its oldest part, measured from
 * the window's start (`after` seconds in: everything in (start, start + after]). Cumulative, ascending.
 */
export interface AgingSlice {
  after: number;
  errors: number;
  total: number;
}

export interface RollingProjectionInput {
  /** Errors and events in the window now. */
  errors: number;
  total: number;
  /** The SLO window, seconds. */
  window: number;
  /** Error budget as a fraction of events (1 − objective). */
  budget: number;
  /** Error ratio the projection assumes from now on. */
  errorRatio: number;
  aging: readonly AgingSlice[];
}

/**
 * Seconds until a rolling window's error budget runs out if errors keep coming at `errorRatio` while the
 * window's oldest events age out, or null if it does not within one window. Traffic is assumed to continue at
 * the window's average rate. Unlike remaining × window ÷ burn rate, this sees that an SLO burning below 1×
 * levels off as old errors leave the window, and that one whose bad hour is about to age out recovers.
 * Checked at each slice's time, so the answer is as fine as the slices.
 */
export function rollingExhaustion(input: RollingProjectionInput): number | null {
  const { errors, total, window, budget, errorRatio, aging } = input;
  if (!(total > 0)) return null;
  if (errors >= budget * total) return 0;
  const eventRate = total / window;
  for (const slice of aging) {
    const arriving = eventRate * slice.after;
    const windowErrors = errors - slice.errors + errorRatio * arriving;
    const windowTotal = total - slice.total + arriving;
    if (windowTotal > 0 && windowErrors >= budget * windowTotal) return slice.after;
  }
  return null;
}
