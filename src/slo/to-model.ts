import { defaultShortWindow, makePair } from '../core/windows.js';
import { workbookWindows } from '../core/window-presets.js';
import { analyzeTemplate } from '../promql/analyze-template.js';
import { error, warning, type Finding } from '../spec/diagnostic.js';
import type { AlertTier, IndicatorQuery, Severity, Slo, SourceLocation, WindowPair } from './model.js';
import { durationSeconds } from '../spec/wire-values.js';
import type { WireSlo, WireWindow } from './wire-v1.js';

/** Where a pair came from: a row of `spec.alerting.windows`, or the default table. */
export interface PairOrigin {
  path: readonly PropertyKey[];
  shortGiven: boolean;
}

/**
 * Maps a schema-valid document to the model: durations in seconds, query units, derived burn factors.
 * Undefined when a query cannot be understood. Its findings are made by `checkParts`, which sees the same fields.
 */
export function toModel(wire: WireSlo, source: SourceLocation): Slo | undefined {
  const findings: Finding[] = [];
  const { spec, metadata } = wire;
  const ratioPath = ['spec', 'indicator', 'ratio'];
  const numeratorKind = spec.indicator.ratio.errors === undefined ? 'good' : 'errors';
  const numerator = indicatorQuery(spec.indicator.ratio[numeratorKind] ?? '', [...ratioPath, numeratorKind], findings);
  const total = indicatorQuery(spec.indicator.ratio.total, [...ratioPath, 'total'], findings);

  const window = durationSeconds(spec.window);
  const tiers: Partial<Record<Severity, AlertTier>> = {};
  for (const severity of ['page', 'ticket'] as const) {
    const tier = spec.alerting[severity];
    if (tier !== undefined) tiers[severity] = { runbook: tier.runbook, for: durationSeconds(tier.for) };
  }

  const { pairs } = mapPairs(spec.alerting.windows, tiers, window, findings);

  if (numerator === undefined || total === undefined) return undefined;
  return {
    name: metadata.name,
    service: metadata.service,
    labels: { ...metadata.labels },
    description: spec.description ?? '',
    objective: spec.objective,
    window,
    indicator: { numeratorKind, numerator, total },
    alerting: { minEvents: spec.alerting.minEvents ?? 0, tiers, pairs },
    ...(spec.tracks && { tracks: { canary: spec.tracks.canary, stable: spec.tracks.stable } }),
    source,
  };
}

/**
 * The window pairs of the tiers present: the custom rows, or the default table when there are none. A row left
 * `undefined` (one that failed the schema) is skipped, keeping the others' indices. The SLO window only sets
 * the factors.
 */
export function mapPairs(
  custom: readonly (WireWindow | undefined)[] | undefined,
  tiers: Partial<Record<Severity, unknown>>,
  window: number,
  findings: Finding[],
): { pairs: WindowPair[]; origins: PairOrigin[] } {
  const pairs: WindowPair[] = [];
  const origins: PairOrigin[] = [];
  const rows = custom ?? workbookWindows;
  rows.forEach((row, index) => {
    if (row === undefined) return;
    const path = custom === undefined ? ['spec', 'window'] : ['spec', 'alerting', 'windows', index];
    if (tiers[row.severity] === undefined) {
      if (custom !== undefined) {
        findings.push(warning(path, `this ${row.severity} window is ignored: there is no spec.alerting.${row.severity} tier`));
      }
      return;
    }
    const long = durationSeconds(row.long);
    const short = row.short === undefined ? defaultShortWindow(long) : durationSeconds(row.short);
    pairs.push(makePair(row.severity, long, short, row.budgetPercent / 100, window));
    origins.push({ path, shortGiven: row.short !== undefined });
  });
  return { pairs, origins };
}

export function indicatorQuery(template: string, path: readonly PropertyKey[], findings: Finding[]): IndicatorQuery | undefined {
  const analysis = analyzeTemplate(template);
  if (analysis.ok) return { template, unit: analysis.unit };
  for (const problem of analysis.problems) findings.push({ ...error(path, problem.message), offsetInValue: problem.offset });
  return undefined;
}
