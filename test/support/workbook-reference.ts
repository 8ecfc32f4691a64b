import type { MetricBackend } from '../../src/backends/backend.js';
import { fillWindow } from '../../src/promql/fill-window.js';
import type { Severity, Slo, WindowPair } from '../../src/slo/model.js';
import { errorBudget } from '../../src/slo/model.js';

/**
 * The SRE Workbook alert conditions written as plain PromQL over `increase()` ratios, for Prometheus to
 * evaluate as a reference: per pair `errors/total ≥ factor × budget` on both windows (and at least
 * minEvents in each), OR across the pairs of a severity. Independent of burnrate's engine.
 */
export function severityExpression(slo: Slo, severity: Severity): string {
  const pairs = slo.alerting.pairs.filter((pair) => pair.severity === severity).map((pair) => pairExpression(slo, pair));
  return `clamp_max(${pairs.join(' + ')}, 1)`;
}

/** Counts over a window: the SLO's own queries with rate() read as increase(). */
function counts(slo: Slo, window: number): { errors: string; total: string } {
  const asIncrease = (template: string) => `(${fillWindow(template.replaceAll('rate(', 'increase('), window)})`;
  const total = asIncrease(slo.indicator.total.template);
  const numerator = asIncrease(slo.indicator.numerator.template);
  // No 5xx series at all means no errors, as long as there are requests.
  const errors = slo.indicator.numeratorKind === 'errors' ? `(${numerator} or (${total} * 0))` : `(${total} - ${numerator})`;
  return { errors, total };
}

function windowCondition(slo: Slo, window: number, factor: number): string {
  const { errors, total } = counts(slo, window);
  const threshold = factor * errorBudget(slo);
  return `((${errors} / ${total}) >= bool ${threshold}) * (${total} >= bool ${slo.alerting.minEvents})`;
}

function pairExpression(slo: Slo, pair: WindowPair): string {
  return `(${windowCondition(slo, pair.long, pair.factor)} * ${windowCondition(slo, pair.short, pair.factor)})`;
}

export interface ReferenceTransition {
  slo: string;
  severity: Severity;
  state: 'firing' | 'resolved';
  at: number;
}

/** Transitions of the reference condition over [start, end] at `step`; steps without a value keep the state. */
export async function referenceTransitions(
  backend: MetricBackend,
  slo: Slo,
  severity: Severity,
  start: number,
  end: number,
  step: number,
): Promise<ReferenceTransition[]> {
  const series = await backend.queryRange({ expr: severityExpression(slo, severity), start, end, step });
  if (series.length > 1) throw new Error(`reference for ${slo.name}/${severity} returned ${series.length} series`);
  const transitions: ReferenceTransition[] = [];
  let active = false;
  for (const point of series[0]?.points ?? []) {
    const firing = point.value >= 1;
    if (firing !== active) transitions.push({ slo: slo.name, severity, state: firing ? 'firing' : 'resolved', at: Math.round(point.t) });
    active = firing;
  }
  return transitions;
}
