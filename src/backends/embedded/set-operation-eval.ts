import { labelsKey, withoutMetricName } from './labels.js';
import type { Work } from './cooperative.js';
import type { SetOperator } from './promql-ast.js';
import { SeriesCollector, type StepSeries } from './step-values.js';

/** Per match signature (all labels but `__name__`), the steps at which any series with it has a value. */
function presenceBySignature(vector: readonly StepSeries[], count: number): Map<string, Uint8Array> {
  const bySignature = new Map<string, Uint8Array>();
  for (const series of vector) {
    const signature = labelsKey(withoutMetricName(series.labels));
    let present = bySignature.get(signature);
    if (present === undefined) {
      present = new Uint8Array(count);
      bySignature.set(signature, present);
    }
    for (let i = 0; i < count; i++) if (series.present[i] === 1) present[i] = 1;
  }
  return bySignature;
}

/** The steps of `series` kept by `keep(step)`, labels unchanged; undefined when none is kept. */
function filtered(series: StepSeries, count: number, keep: (step: number) => boolean): StepSeries | undefined {
  const present = new Uint8Array(count);
  let any = false;
  for (let i = 0; i < count; i++) {
    if (series.present[i] === 1 && keep(i)) {
      present[i] = 1;
      any = true;
    }
  }
  return any ? { labels: series.labels, values: series.values.slice(), present } : undefined;
}

/**
 * `and`, `or`, `unless` at every step with Prometheus' default many-to-many matching on all labels except
 * `__name__`. Label sets pass through unchanged, metric name included:
 * - `and` keeps left samples whose signature has a right sample at that step;
 * - `or` keeps every left sample plus the right samples whose signature has no left sample at that step;
 * - `unless` keeps left samples whose signature has no right sample at that step.
 */
export function* evalSetOperation(op: SetOperator, lhs: readonly StepSeries[], rhs: readonly StepSeries[], count: number): Work<StepSeries[]> {
  const collector = new SeriesCollector(count);
  const add = (series: StepSeries | undefined): void => {
    if (series !== undefined) collector.addSeries(series);
  };
  if (op === 'or') {
    const left = presenceBySignature(lhs, count);
    for (const series of lhs) {
      yield;
      add(filtered(series, count, () => true));
    }
    for (const series of rhs) {
      yield;
      const shadow = left.get(labelsKey(withoutMetricName(series.labels)));
      add(filtered(series, count, (i) => shadow?.[i] !== 1));
    }
    return collector.series();
  }
  const right = presenceBySignature(rhs, count);
  for (const series of lhs) {
    yield;
    const other = right.get(labelsKey(withoutMetricName(series.labels)));
    add(filtered(series, count, (i) => (other?.[i] === 1) === (op === 'and')));
  }
  return collector.series();
}
