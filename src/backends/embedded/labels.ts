import { compareCodePoints } from '../../labels/code-point-order.js';

/** Label sets as the embedded store handles them: plain records, `__name__` included when present. */
export type Labels = Readonly<Record<string, string>>;

export const metricNameLabel = '__name__';

/** Label names in byte (code point) order, as Prometheus sorts them. */
export function sortedLabelNames(labels: Labels): string[] {
  return Object.keys(labels).sort(compareCodePoints);
}

/** A canonical string for a label set: equal label sets give equal keys, whatever the insertion order. */
export function labelsKey(labels: Labels): string {
  return JSON.stringify(sortedLabelNames(labels).map((name) => [name, labels[name]]));
}

/** Prometheus `labels.Compare`: pairwise by name then value, a shorter prefix first. */
export function compareLabels(a: Labels, b: Labels): number {
  return compareSortedLabels(a, sortedLabelNames(a), b, sortedLabelNames(b));
}

/** `compareLabels` with each side's names already sorted. */
export function compareSortedLabels(a: Labels, an: readonly string[], b: Labels, bn: readonly string[]): number {
  const length = Math.min(an.length, bn.length);
  for (let i = 0; i < length; i++) {
    const nameA = an[i] as string;
    const nameB = bn[i] as string;
    const byName = compareCodePoints(nameA, nameB);
    if (byName !== 0) return byName;
    const byValue = compareCodePoints(a[nameA] as string, b[nameB] as string);
    if (byValue !== 0) return byValue;
  }
  return an.length - bn.length;
}

export function withoutMetricName(labels: Labels): Labels {
  if (!(metricNameLabel in labels)) return labels;
  const rest: Record<string, string> = { ...labels };
  delete rest[metricNameLabel];
  return rest;
}

/** Prometheus renders label sets as `name{a="1", b="2"}` in its error messages. */
export function formatLabels(labels: Labels): string {
  const names = sortedLabelNames(labels).filter((name) => name !== metricNameLabel);
  const inner = names.map((name) => `${name}=${JSON.stringify(labels[name])}`).join(', ');
  return `${labels[metricNameLabel] ?? ''}{${inner}}`;
}
