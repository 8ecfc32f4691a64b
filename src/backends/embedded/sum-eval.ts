import { labelsKey, metricNameLabel, type Labels } from './labels.js';
import type { Work } from './cooperative.js';
import type { Grouping } from './promql-ast.js';
import { emptySeries, hasPoints, type StepSeries } from './step-values.js';

function groupLabels(labels: Labels, grouping: Grouping | undefined): Labels {
  if (grouping === undefined) return {};
  if (grouping.mode === 'by') {
    const kept: Record<string, string> = {};
    for (const name of grouping.labels) {
      const value = labels[name];
      if (value !== undefined) kept[name] = value;
    }
    return kept;
  }
  const rest: Record<string, string> = { ...labels };
  for (const name of grouping.labels) delete rest[name];
  delete rest[metricNameLabel];
  return rest;
}

/**
 * `sum`, `sum by`, `sum without` at every step. Members are added in input order (the first sets the value),
 * as Prometheus does; a group with no member at a step has no value there (not 0).
 */
export function* evalSum(input: readonly StepSeries[], grouping: Grouping | undefined, count: number): Work<StepSeries[]> {
  const groups = new Map<string, StepSeries>();
  for (const member of input) {
    yield;
    const labels = groupLabels(member.labels, grouping);
    const key = labelsKey(labels);
    let group = groups.get(key);
    if (group === undefined) {
      group = emptySeries(labels, count);
      groups.set(key, group);
    }
    const { values, present } = group;
    for (let i = 0; i < count; i++) {
      if (member.present[i] !== 1) continue;
      if (present[i] === 1) values[i] = (values[i] as number) + (member.values[i] as number);
      else {
        present[i] = 1;
        values[i] = member.values[i] as number;
      }
    }
  }
  return [...groups.values()].filter(hasPoints);
}
