import { tierAlertState, type TierAlert, type TierAlertState } from '../../alerting/tier-state.js';
import type { ConditionState } from '../../core/burn-rate.js';
import { counterGapLimitMs } from '../../backends/embedded/counter-increments.js';
import { coverageText } from '../../core/budget-coverage.js';
import { formatDuration, humanizeSeconds } from '../../core/duration.js';
import { formatTime } from '../../core/time.js';
import type { SloEvaluation } from '../../engine/slo-evaluation.js';
import type { Severity } from '../../slo/model.js';
import { renderTable } from './table.js';

/** The alerts a daemon left in the database, as of its newest stored evaluation. */
export interface StoredAlertState {
  asOf: number;
  bySlo: ReadonlyMap<string, readonly TierAlert[]>;
}

/** What `eval` says about the data behind one evaluation: never "ok", which beside a firing page reads as healthy. */
export type DataStatus = 'complete' | 'partial' | 'low traffic' | 'no data' | 'backend error';

const percent = (fraction: number | null, digits = 1) => (fraction === null ? '-' : `${(fraction * 100).toFixed(digits)}%`);
const burn = (rate: number | null) => (rate === null ? '?' : rate >= 100 ? rate.toFixed(0) : rate.toFixed(rate >= 10 ? 1 : 2));

/** Pure: `backend error`, `no data` (no events in the SLO window), `partial` (an alert window without events), `low traffic`, or `complete`. */
export function dataStatus(evaluation: SloEvaluation): DataStatus {
  if (evaluation.status === 'backend_error') return 'backend error';
  if (evaluation.status === 'insufficient_data') return 'no data';
  if (evaluation.windows.some((w) => w.status === 'insufficient_data')) return 'partial';
  if (evaluation.windows.some((w) => w.status === 'low_traffic')) return 'low traffic';
  return 'complete';
}

/** Burn rates of each pair as `long/short`, with the threshold: `1h/5m 15.2/14.9 ≥14.4`. */
function pairSummary(evaluation: SloEvaluation): string {
  return evaluation.severities
    .flatMap((severity) => severity.pairs)
    .map((p) => `${formatDuration(p.pair.long)}/${formatDuration(p.pair.short)} ${burn(p.long.burnRate)}/${burn(p.short.burnRate)}${p.state === 'firing' ? '!' : ''}`)
    .join('  ');
}

const conditionWords: Record<ConditionState, string> = { firing: 'burning', ok: 'clear', unknown: 'unknown' };
const alertWords: Record<TierAlertState['state'], string> = { inactive: 'inactive', pending: 'pending', firing: 'FIRING' };

/** `burning`, or with the stored alert `burning/pending`: the condition of this evaluation, then the alert. */
function tierCell(evaluation: SloEvaluation, severity: Severity, stored: StoredAlertState | undefined): string {
  const decision = evaluation.severities.find((s) => s.severity === severity);
  if (!decision) return '-';
  const condition = conditionWords[decision.state];
  if (!stored) return condition;
  return `${condition}/${alertWords[tierAlertState(stored.bySlo.get(evaluation.slo) ?? [], severity).state]}`;
}

/**
 * The `eval` table. PAGE and TICKET show this evaluation's condition (the burn-rate rule alone, no `for`) and,
 * when a daemon has stored alerts in the database, the alert as its lifecycle holds it (`pending` while `for`
 * runs, `FIRING` once it notifies).
 */
export function evaluationTable(evaluations: readonly SloEvaluation[], stored?: StoredAlertState): string {
  const rows = evaluations.map((e) => [
    e.slo,
    `${e.objective}%`,
    dataStatus(e),
    [percent(e.budget.remaining), coverageText(e.budget.coverage, e.budget.window)].filter(Boolean).join(' '),
    e.budget.timeToExhaustion === null ? '-' : humanizeSeconds(e.budget.timeToExhaustion),
    tierCell(e, 'page', stored),
    tierCell(e, 'ticket', stored),
    pairSummary(e),
  ]);
  const at = evaluations[0] ? `evaluated at ${formatTime(evaluations[0].at)}\n` : '';
  const legend = stored
    ? `condition: this evaluation, without \`for\`; alert: as the daemon held it after its evaluation at ${formatTime(stored.asOf)}\n`
    : 'condition: this evaluation, without `for`; no alert state: no daemon has evaluated into this database\n';
  const tier = stored ? 'condition/alert' : 'condition';
  const notes = evaluations
    .flatMap((e) => [
      ...(e.error ? [`${e.slo}: backend error: ${e.error}`] : []),
      ...(e.budget.exact ? [] : [`${e.slo}: budget approximate (per-bucket increase()): ${e.budget.approximateBecause ?? 'unknown reason'}`]),
      ...(e.budget.uncountedGaps
        ? [`${e.slo}: budget misses the increments across ${e.budget.uncountedGaps} gaps of more than ${formatDuration(counterGapLimitMs / 1000)} between samples (a scrape interval that long, or missed scrapes)`]
        : []),
      ...e.windows
        .filter((w) => w.status !== 'ok')
        .map((w) => `${e.slo}: ${formatDuration(w.window)} window ${w.status.replace('_', ' ')} (${Math.round(w.total)} events, ${percent(w.coverage, 0)} covered)`),
    ])
    .map((note) => `  note: ${note}\n`)
    .join('');
  const header = ['SLO', 'OBJECTIVE', 'DATA', 'BUDGET LEFT', 'EXHAUSTED IN', `PAGE ${tier}`, `TICKET ${tier}`, 'BURN RATE long/short (! = pair firing)'];
  return at + legend + renderTable(header, rows) + notes;
}

/** The JSON form: each evaluation with the stored alert state of its tiers (null without a daemon's state). */
export function evaluationJson(evaluations: readonly SloEvaluation[], stored?: StoredAlertState): string {
  const withAlerts = evaluations.map((e) => {
    const alerts = stored?.bySlo.get(e.slo) ?? [];
    const tiers = Object.fromEntries(e.severities.map((s) => [s.severity, tierAlertState(alerts, s.severity)]));
    return { ...e, alerts: stored ? { asOf: stored.asOf, ...tiers } : null };
  });
  return `${JSON.stringify(withAlerts, null, 2)}\n`;
}
