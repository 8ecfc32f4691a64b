import { stringify } from 'yaml';
import { formatDuration } from '../src/core/duration.js';
import { distinctWindows } from '../src/core/windows.js';
import { fillWindow } from '../src/promql/fill-window.js';
import { errorBudget, severities, type Slo } from '../src/slo/model.js';

/**
 * The rules Sloth generates for an SLO, rebuilt from our SLO model: per SLO one group of SLI recordings (the
 * error ratio over every alert window, plus the SLO window as the average of the 5m ratios), one of metadata
 * recordings and one of multiwindow alerts, each window pair as `short > factor × budget and long > …`.
 */
export interface RuleGroup {
  name: string;
  rules: Rule[];
}

export type Rule =
  | { record: string; expr: string; labels: Record<string, string> }
  | { alert: string; expr: string; labels: Record<string, string> };

export function slothLabels(slo: Slo): Record<string, string> {
  return { sloth_id: slo.name, sloth_service: slo.service, sloth_slo: slo.name };
}

const ratioMetric = (window: string): string => `slo:sli_error:ratio_rate${window}`;

function selector(slo: Slo): string {
  return Object.entries(slothLabels(slo))
    .map(([name, value]) => `${name}="${value}"`)
    .join(', ');
}

function sliGroup(slo: Slo): RuleGroup {
  const windows = distinctWindows(slo.alerting.pairs);
  const ids = slothLabels(slo);
  const ratios: Rule[] = windows.map((seconds) => {
    const window = formatDuration(seconds);
    const { numerator, total } = slo.indicator;
    return {
      record: ratioMetric(window),
      expr: `(${fillWindow(numerator.template, seconds)})\n/\n(${fillWindow(total.template, seconds)})`,
      labels: { ...ids, sloth_window: window },
    };
  });
  const shortest = ratioMetric(formatDuration(windows[0] ?? 300));
  const period = formatDuration(slo.window);
  const average = `sum_over_time(${shortest}{${selector(slo)}}[${period}])\n/ ignoring (sloth_window)\ncount_over_time(${shortest}{${selector(slo)}}[${period}])`;
  ratios.push({ record: ratioMetric(period), expr: average, labels: { ...ids, sloth_window: period } });
  return { name: `sloth-slo-sli-recordings-${slo.name}`, rules: ratios };
}

function metaGroup(slo: Slo): RuleGroup {
  const ids = slothLabels(slo);
  const match = `{${selector(slo)}}`;
  const join = 'on(sloth_id, sloth_slo, sloth_service) group_left';
  const shortest = ratioMetric(formatDuration(distinctWindows(slo.alerting.pairs)[0] ?? 300));
  const period = ratioMetric(formatDuration(slo.window));
  const records: [string, string][] = [
    ['slo:objective:ratio', `vector(${slo.objective / 100})`],
    ['slo:error_budget:ratio', `vector(1-${slo.objective / 100})`],
    ['slo:time_period:days', `vector(${slo.window / 86_400})`],
    ['slo:current_burn_rate:ratio', `${shortest}${match}\n/ ${join}\nslo:error_budget:ratio${match}`],
    ['slo:period_burn_rate:ratio', `${period}${match}\n/ ${join}\nslo:error_budget:ratio${match}`],
    ['slo:period_error_budget_remaining:ratio', `1 - slo:period_burn_rate:ratio${match}`],
    ['sloth_slo_info', 'vector(1)'],
  ];
  return { name: `sloth-slo-meta-recordings-${slo.name}`, rules: records.map(([record, expr]) => ({ record, expr, labels: ids })) };
}

function alertGroup(slo: Slo): RuleGroup {
  const budget = errorBudget(slo);
  const over = (seconds: number, factor: number) => `(${ratioMetric(formatDuration(seconds))}{${selector(slo)}} > (${factor} * ${budget}))`;
  const rules: Rule[] = severities.flatMap((severity) => {
    const pairs = slo.alerting.pairs.filter((pair) => pair.severity === severity);
    if (pairs.length === 0) return [];
    const expr = pairs
      .map((pair) => `(\n  ${over(pair.short, pair.factor)}\n  and ignoring (sloth_window)\n  ${over(pair.long, pair.factor)}\n)`)
      .join('\nor ignoring (sloth_window)\n');
    return [{ alert: 'SloErrorBudgetBurn', expr, labels: { ...slothLabels(slo), sloth_severity: severity } }];
  });
  return { name: `sloth-slo-alerts-${slo.name}`, rules };
}

export function slothRuleGroups(slos: readonly Slo[]): RuleGroup[] {
  return slos.flatMap((slo) => [sliGroup(slo), metaGroup(slo), alertGroup(slo)]);
}

/** The rule file Prometheus loads (`rule_files`). */
export function slothRuleFile(slos: readonly Slo[]): string {
  return stringify({ groups: slothRuleGroups(slos) }, { lineWidth: 0 });
}
