import { compareSortedLabels, sortedLabelNames, withoutMetricName } from './labels.js';
import { compileMatcher, type LabelMatcher } from '../../labels/matchers.js';
import { extrapolatedRate } from './extrapolated-rate.js';
import { sortCooperatively } from './cooperative-sort.js';
import type { RangeFunctionCall } from './promql-ast.js';
import type { Work } from './cooperative.js';
import type { SampleReader, StoredSeries } from './sample-store.js';
import { addDistinctSeries, emptySeries, hasPoints, type StepGrid, type StepSeries } from './step-values.js';

/** Prometheus' default lookback: an instant selector sees the newest sample at most this old. */
export const lookbackDeltaMs = 5 * 60_000;

export interface EvalContext {
  store: SampleReader;
  grid: StepGrid;
  /** `prometheus` (default): rate/increase extrapolated as Prometheus does; `increments`: exact bucket increments. */
  rangeFunctions?: 'prometheus' | 'increments';
  /** With `increments`: counts the pairs of samples too far apart to count (see counterGapLimitMs). */
  gaps?: { count: number };
  /** Throws when the caller gave up on the query. */
  checkAbort(): void;
}

/** Matching series in Prometheus' storage order (sorted by label set), which fixes the order sums add in. */
export function* selectSorted(context: EvalContext, matchers: readonly LabelMatcher[]): Work<StoredSeries[]> {
  const selected = yield* context.store.selectSeries(matchers.map(compileMatcher));
  if (selected.length < 2) return selected;
  // Label names sorted once per series, not once per comparison.
  const named: Array<{ stored: StoredSeries; names: string[] }> = [];
  for (const stored of selected) {
    named.push({ stored, names: sortedLabelNames(stored.labels) });
    if (named.length % 1024 === 0) yield;
  }
  const sorted = yield* sortCooperatively(named, (a, b) => compareSortedLabels(a.stored.labels, a.names, b.stored.labels, b.names));
  return sorted.map(({ stored }) => stored);
}

/** An instant selector at every step: the newest sample with T − 5m ≤ t ≤ T, unless it is a staleness marker. */
export function* evalVectorSelector(context: EvalContext, matchers: readonly LabelMatcher[]): Work<StepSeries[]> {
  const { startMs, stepMs, count } = context.grid;
  const endMs = startMs + (count - 1) * stepMs;
  const result: StepSeries[] = [];
  for (const stored of yield* selectSorted(context, matchers)) {
    context.checkAbort();
    const samples = context.store.loadSamples(stored.id, startMs - lookbackDeltaMs, endMs);
    const series = emptySeries(stored.labels, count);
    let newest = -1;
    for (let i = 0; i < count; i++) {
      const at = startMs + i * stepMs;
      while (newest + 1 < samples.t.length && (samples.t[newest + 1] as number) <= at) newest++;
      if (newest < 0 || (samples.t[newest] as number) < at - lookbackDeltaMs || samples.stale[newest] === 1) continue;
      series.present[i] = 1;
      series.values[i] = samples.value[newest] as number;
    }
    if (hasPoints(series)) result.push(series);
    yield;
  }
  return result;
}

/**
 * `rate`/`increase` at every step with one pass per series: the window [T − range, T] slides forward with two
 * pointers, and counter resets are kept in a sorted index list so each step only visits the resets inside it.
 */
export function* evalRangeFunction(context: EvalContext, call: RangeFunctionCall): Work<StepSeries[]> {
  const { startMs, stepMs, count } = context.grid;
  const { rangeMs } = call.arg;
  const endMs = startMs + (count - 1) * stepMs;
  const isRate = call.func === 'rate';
  const result: StepSeries[] = [];
  const seen = new Set<string>();
  for (const stored of yield* selectSorted(context, call.arg.selector.matchers)) {
    yield;
    context.checkAbort();
    const raw = context.store.loadSamples(stored.id, startMs - rangeMs, endMs);
    // Range selection skips staleness markers.
    const t: number[] = [];
    const v: number[] = [];
    for (let i = 0; i < raw.t.length; i++) {
      if (raw.stale[i] === 1) continue;
      t.push(raw.t[i] as number);
      v.push(raw.value[i] as number);
    }
    const resets: number[] = [];
    for (let i = 1; i < v.length; i++) if ((v[i] as number) < (v[i - 1] as number)) resets.push(i);
    const series = emptySeries(withoutMetricName(stored.labels), count);
    let first = 0;
    let last = -1;
    let firstReset = 0;
    for (let step = 0; step < count; step++) {
      const at = startMs + step * stepMs;
      while (first < t.length && (t[first] as number) < at - rangeMs) first++;
      while (last + 1 < t.length && (t[last + 1] as number) <= at) last++;
      if (last - first + 1 < 2) continue;
      while (firstReset < resets.length && (resets[firstReset] as number) <= first) firstReset++;
      let increase = (v[last] as number) - (v[first] as number);
      for (let r = firstReset; r < resets.length && (resets[r] as number) <= last; r++) increase += v[(resets[r] as number) - 1] as number;
      const value = extrapolatedRate(
        { firstT: t[first] as number, firstValue: v[first] as number, lastT: t[last] as number, count: last - first + 1, increase, rangeMs, rangeEndMs: at },
        isRate,
      );
      if (value === undefined) continue;
      series.present[step] = 1;
      series.values[step] = value;
    }
    addDistinctSeries(result, seen, series);
  }
  return result;
}
