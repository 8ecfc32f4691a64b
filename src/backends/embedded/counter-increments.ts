import { withoutMetricName } from './labels.js';
import type { RangeFunctionCall } from './promql-ast.js';
import type { Work } from './cooperative.js';
import { selectSorted, type EvalContext } from './selector-eval.js';
import { addDistinctSeries, emptySeries, type StepSeries } from './step-values.js';

/**
 * Two samples of one counter further apart than this add nothing to any bucket: an increment is only counted
 * when both ends of it were sampled within this time, so every bucket is computed alike from the samples
 * between its start minus this gap and its end (covers scrape intervals up to 5 minutes with room for misses).
 */
export const counterGapLimitMs = 10 * 60_000;

/**
 * Exact counter increments per bucket, the additive counterpart of `increase()`: each pair of consecutive
 * samples adds its increment (the difference, or after a counter reset the new value) to the bucket (T − range, T]
 * holding the later sample. Buckets that tile a span therefore add up to the counter's increase over the span,
 * whatever the scrape interval, its offset and jitter: a bucket narrower than the sample spacing is simply 0 between
 * samples. A series' first sample is its baseline. `rate` gives the same increments per second of the range.
 *
 * A series has a value at T when it was sampled in (T − range − gap limit, T]; otherwise it is absent.
 */
export function* evalCounterIncrements(context: EvalContext, call: RangeFunctionCall): Work<StepSeries[]> {
  const { startMs, stepMs, count } = context.grid;
  const { rangeMs } = call.arg;
  const endMs = startMs + (count - 1) * stepMs;
  const perSecond = call.func === 'rate' ? 1000 / rangeMs : 1;
  const result: StepSeries[] = [];
  const seen = new Set<string>();
  for (const stored of yield* selectSorted(context, call.arg.selector.matchers)) {
    yield;
    context.checkAbort();
    const raw = context.store.loadSamples(stored.id, startMs - rangeMs - counterGapLimitMs, endMs);
    // cumulative[k]: increments of pairs up to sample k; staleness markers and NaN are not samples here.
    const t: number[] = [];
    const cumulative: number[] = [];
    let previousT = Number.NEGATIVE_INFINITY;
    let previousValue = 0;
    let total = 0;
    for (let i = 0; i < raw.t.length; i++) {
      const value = raw.value[i] as number;
      if (raw.stale[i] === 1 || Number.isNaN(value)) continue;
      const at = raw.t[i] as number;
      if (at - previousT <= counterGapLimitMs) total += value >= previousValue ? value - previousValue : value;
      else if (context.gaps && previousT > Number.NEGATIVE_INFINITY && at > startMs - rangeMs) context.gaps.count += 1;
      t.push(at);
      cumulative.push(total);
      previousT = at;
      previousValue = value;
    }
    const series = emptySeries(withoutMetricName(stored.labels), count);
    let lastIn = -1;
    let lastBefore = -1;
    for (let step = 0; step < count; step++) {
      const at = startMs + step * stepMs;
      while (lastIn + 1 < t.length && (t[lastIn + 1] as number) <= at) lastIn++;
      while (lastBefore + 1 < t.length && (t[lastBefore + 1] as number) <= at - rangeMs) lastBefore++;
      if (lastIn < 0 || (t[lastIn] as number) <= at - rangeMs - counterGapLimitMs) continue;
      const increments = (cumulative[lastIn] as number) - (lastBefore < 0 ? 0 : (cumulative[lastBefore] as number));
      series.present[step] = 1;
      series.values[step] = increments * perSecond;
    }
    addDistinctSeries(result, seen, series);
  }
  return result;
}
