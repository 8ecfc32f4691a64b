import { BackendError, type RangeQuery } from '../backend.js';
import { compareLabels, formatLabels, labelsKey, type Labels } from './labels.js';

/** Evaluation times of a range query in milliseconds: start, start + step, … ≤ end. */
export interface StepGrid {
  startMs: number;
  stepMs: number;
  count: number;
}

/** One series of an instant-vector expression across all steps; `present[i]` is 0 where it has no value. */
export interface StepSeries {
  labels: Labels;
  values: Float64Array;
  present: Uint8Array;
}

export type StepValue = { type: 'scalar'; values: Float64Array } | { type: 'vector'; series: StepSeries[] };

/** Query times are rounded to milliseconds as Prometheus' API does. */
export function stepGrid(query: RangeQuery): StepGrid {
  const { start, end, step } = query;
  if (![start, end, step].every(Number.isFinite)) throw new BackendError('bad_query', 'start, end and step must be finite numbers');
  const startMs = Math.round(start * 1000);
  const endMs = Math.round(end * 1000);
  const stepMs = Math.round(step * 1000);
  if (endMs < startMs) throw new BackendError('bad_query', 'end timestamp must not be before start time');
  if (stepMs <= 0) throw new BackendError('bad_query', 'zero or negative query resolution step widths are not accepted');
  return { startMs, stepMs, count: Math.floor((endMs - startMs) / stepMs) + 1 };
}

export function emptySeries(labels: Labels, count: number): StepSeries {
  return { labels, values: new Float64Array(count), present: new Uint8Array(count) };
}

export function hasPoints(series: StepSeries): boolean {
  return series.present.includes(1);
}

/**
 * Adds a series computed series by series to a function's result: one without points is left out, and two with the
 * same label set (their metric names dropped) are Prometheus's "same labelset" error.
 */
export function addDistinctSeries(result: StepSeries[], seen: Set<string>, series: StepSeries): void {
  if (!hasPoints(series)) return;
  const key = labelsKey(series.labels);
  if (seen.has(key)) throw sameLabelsetError(series.labels);
  seen.add(key);
  result.push(series);
}

export function sameLabelsetError(labels: Labels): BackendError {
  return new BackendError('bad_query', `vector cannot contain metrics with the same labelset: ${formatLabels(labels)}`);
}

/**
 * Collects step samples into series keyed by label set, the way Prometheus assembles a range result:
 * two samples with equal labels at the same step are an error, at different steps they join one series.
 */
export class SeriesCollector {
  private readonly byKey = new Map<string, StepSeries>();
  constructor(private readonly count: number) {}

  add(labels: Labels, key: string, step: number, value: number): void {
    let series = this.byKey.get(key);
    if (series === undefined) {
      series = emptySeries(labels, this.count);
      this.byKey.set(key, series);
    }
    if (series.present[step] === 1) throw sameLabelsetError(labels);
    series.present[step] = 1;
    series.values[step] = value;
  }

  /** Adds every present step of a series whose values were computed series by series. */
  addSeries(source: StepSeries): void {
    const key = labelsKey(source.labels);
    const existing = this.byKey.get(key);
    if (existing === undefined) {
      this.byKey.set(key, source);
      return;
    }
    for (let i = 0; i < this.count; i++) {
      if (source.present[i] !== 1) continue;
      if (existing.present[i] === 1) throw sameLabelsetError(source.labels);
      existing.present[i] = 1;
      existing.values[i] = source.values[i] as number;
    }
  }

  series(): StepSeries[] {
    return [...this.byKey.values()].filter(hasPoints);
  }
}

export function sortSeries(series: StepSeries[]): StepSeries[] {
  return series.sort((a, b) => compareLabels(a.labels, b.labels));
}
