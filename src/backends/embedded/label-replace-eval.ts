import { expandGoTemplate } from './go-regex-expand.js';
import { sortedLabelNames, type Labels } from './labels.js';
import type { LabelReplaceCall } from './promql-ast.js';
import { compileAnchoredRe2, type AnchoredRegex } from '../../labels/re2-regex.js';
import { SeriesCollector, type StepSeries } from './step-values.js';
import type { Work } from './cooperative.js';

/** Prometheus `model.LabelNameRE`, which the destination label must match. */
export const labelNamePattern = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** The output label set of one series: unchanged when the regex does not match the source value. */
export function replaceLabel(labels: Labels, call: Omit<LabelReplaceCall, 'kind' | 'expr'>, regex: AnchoredRegex): Labels {
  const match = regex.exec(labels[call.src] ?? '');
  if (match === null) return labels;
  const value = expandGoTemplate(call.replacement, match);
  const merged: Record<string, string> = { ...labels };
  delete merged[call.dst];
  if (value !== '') merged[call.dst] = value;
  // Rebuilt in name order, the order every other label set here comes in.
  const out: Record<string, string> = {};
  for (const name of sortedLabelNames(merged)) out[name] = merged[name] as string;
  return out;
}

/**
 * `label_replace` at every step. The metric name is kept (and may itself be the destination); two output series
 * with the same label set at one step are an error, as in Prometheus.
 */
export function* evalLabelReplace(call: LabelReplaceCall, input: readonly StepSeries[], count: number): Work<StepSeries[]> {
  const regex = compileAnchoredRe2(call.regex);
  const collector = new SeriesCollector(count);
  for (const series of input) {
    yield;
    collector.addSeries({ labels: replaceLabel(series.labels, call, regex), values: series.values.slice(), present: series.present.slice() });
  }
  return collector.series();
}
