import { BackendError } from '../backend.js';
import { formatLabels, labelsKey, withoutMetricName } from './labels.js';
import type { ArithmeticOperator } from './promql-ast.js';
import type { Work } from './cooperative.js';
import { SeriesCollector, emptySeries, type StepSeries } from './step-values.js';

export function arithmetic(op: ArithmeticOperator, a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
  }
}

export function scalarScalar(op: ArithmeticOperator, lhs: Float64Array, rhs: Float64Array): Float64Array {
  return lhs.map((a, i) => arithmetic(op, a, rhs[i] as number));
}

/** Vector ⊕ scalar (or scalar ⊕ vector when `scalarOnLeft`): every sample, metric name dropped. */
export function* vectorScalar(op: ArithmeticOperator, vector: readonly StepSeries[], scalar: Float64Array, scalarOnLeft: boolean, count: number): Work<StepSeries[]> {
  const collector = new SeriesCollector(count);
  for (const series of vector) {
    yield;
    const result = emptySeries(withoutMetricName(series.labels), count);
    for (let i = 0; i < count; i++) {
      if (series.present[i] !== 1) continue;
      const v = series.values[i] as number;
      const s = scalar[i] as number;
      result.present[i] = 1;
      result.values[i] = scalarOnLeft ? arithmetic(op, s, v) : arithmetic(op, v, s);
    }
    collector.addSeries(result);
  }
  return collector.series();
}

export function* negate(vector: readonly StepSeries[], count: number): Work<StepSeries[]> {
  const collector = new SeriesCollector(count);
  for (const series of vector) {
    yield;
    collector.addSeries({ labels: withoutMetricName(series.labels), values: series.values.map((v) => -v), present: series.present });
  }
  return collector.series();
}

/**
 * Vector ⊕ vector with Prometheus' default one-to-one matching: samples pair up when their label sets without
 * `__name__` are equal; the result takes the left labels without `__name__`. Duplicates on either side are errors.
 */
export function* vectorVector(op: ArithmeticOperator, lhs: readonly StepSeries[], rhs: readonly StepSeries[], count: number): Work<StepSeries[]> {
  const lhsSignatures = lhs.map((s) => labelsKey(withoutMetricName(s.labels)));
  const rhsSignatures = rhs.map((s) => labelsKey(withoutMetricName(s.labels)));
  const resultLabels = lhs.map((s) => withoutMetricName(s.labels));
  const collector = new SeriesCollector(count);
  const right = new Map<string, number>();
  const matched = new Set<string>();
  for (let i = 0; i < count; i++) {
    yield;
    right.clear();
    matched.clear();
    let anyLeft = false;
    for (const series of lhs) if (series.present[i] === 1) anyLeft = true;
    if (!anyLeft) continue;
    rhs.forEach((series, index) => {
      if (series.present[i] !== 1) return;
      const signature = rhsSignatures[index] as string;
      const duplicate = right.get(signature);
      if (duplicate !== undefined) {
        throw new BackendError(
          'bad_query',
          `found duplicate series for the match group ${formatLabels(withoutMetricName(series.labels))} on the right hand-side of the operation: ` +
            `[${formatLabels(series.labels)}, ${formatLabels((rhs[duplicate] as StepSeries).labels)}];many-to-many matching not allowed: matching labels must be unique on one side`,
        );
      }
      right.set(signature, index);
    });
    if (right.size === 0) continue;
    lhs.forEach((series, index) => {
      if (series.present[i] !== 1) return;
      const signature = lhsSignatures[index] as string;
      const match = right.get(signature);
      if (match === undefined) return;
      if (matched.has(signature)) {
        throw new BackendError('bad_query', 'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)');
      }
      matched.add(signature);
      const value = arithmetic(op, series.values[i] as number, (rhs[match] as StepSeries).values[i] as number);
      collector.add(resultLabels[index] as StepSeries['labels'], signature, i, value);
    });
  }
  return collector.series();
}
