import { coverageText } from '../../core/budget-coverage.js';
import type { AlertChange } from '../../alerting/alert-history.js';
import { tierAlertState, type TierAlert, type TierAlertState } from '../../alerting/tier-state.js';
import type { ConditionState, WindowStatus } from '../../core/burn-rate.js';
import { formatDuration } from '../../core/duration.js';
import { severities, type Severity, type Slo } from '../../slo/model.js';
import type { EvaluationPoint, StoredEvaluation } from '../../engine/evaluation-store.js';

/** `pending` until the SLO's first evaluation is stored. */
export type SloStatusValue = StoredEvaluation['status'] | 'pending';
export const sloStatusValues = ['ok', 'insufficient_data', 'backend_error', 'pending'] as const satisfies readonly SloStatusValue[];

export interface WindowBurnView {
  window: string;
  seconds: number;
  burnRate: number | null;
  errorRatio: number | null;
  errors: number;
  total: number;
  coverage: number;
  status: WindowStatus;
}

/**
 * One severity of an SLO: the latest evaluation's condition beside the alert the lifecycle holds. With `for`,
 * a condition `firing` for less than `for` is an alert `pending`; only a `firing` alert notifies.
 */
export interface TierView extends TierAlertState {
  /** The latest evaluation's verdict of the burn-rate condition; `unknown` when missing data leaves it open. */
  condition: ConditionState | null;
}

export interface SloStatusView {
  name: string;
  service: string;
  description: string;
  labels: Readonly<Record<string, string>>;
  objective: number;
  /** Compliance window in seconds, and as text (`30d`). */
  window: number;
  windowText: string;
  status: SloStatusValue;
  error: string | null;
  evaluatedAt: number | null;
  budgetRemaining: number | null;
  /** Fraction of the SLO window the budget covers, and the same in words (null when it covers all of it). */
  budgetCoverage: number | null;
  budgetCovers: string | null;
  /** Whether the budget is summed from exact counter increments (false: per-bucket increase(), approximate). */
  budgetExact: boolean | null;
  errorRatio: number | null;
  timeToExhaustion: number | null;
  burnRates: WindowBurnView[];
  page: TierView;
  ticket: TierView;
}

/** One SLO's latest status, with its alerts as the alert lifecycle holds them. */
export function sloStatusView(slo: Slo, latest: StoredEvaluation | undefined, alerts: Iterable<TierAlert>): SloStatusView {
  const shown = [...alerts];
  const condition = (severity: Severity): TierView => ({ condition: latest?.[severity] ?? null, ...tierAlertState(shown, severity) });
  return {
    name: slo.name,
    service: slo.service,
    description: slo.description,
    labels: slo.labels,
    objective: slo.objective,
    window: slo.window,
    windowText: formatDuration(slo.window),
    status: latest?.status ?? 'pending',
    error: latest?.error ?? null,
    evaluatedAt: latest?.t ?? null,
    budgetRemaining: latest?.budgetRemaining ?? null,
    budgetCoverage: latest ? latest.coverage : null,
    budgetCovers: latest ? coverageText(latest.coverage, slo.window) || null : null,
    budgetExact: latest ? latest.detail.budget.exact !== false : null,
    errorRatio: latest?.errorRatio ?? null,
    timeToExhaustion: latest?.timeToExhaustion ?? null,
    burnRates: (latest?.detail.windows ?? []).map((w) => ({
      window: formatDuration(w.window),
      seconds: w.window,
      burnRate: w.burnRate,
      errorRatio: w.errorRatio,
      errors: w.errors,
      total: w.total,
      coverage: w.coverage,
      status: w.status,
    })),
    page: condition('page'),
    ticket: condition('ticket'),
  };
}

export interface SloDefinitionView {
  minEvents: number;
  pairs: Array<{ severity: Severity; long: string; short: string; budgetFraction: number; factor: number }>;
  tiers: Partial<Record<Severity, { for: number; runbook: string }>>;
  source: string;
}

export function sloDefinitionView(slo: Slo): SloDefinitionView {
  const tiers: SloDefinitionView['tiers'] = {};
  for (const severity of severities) {
    const tier = slo.alerting.tiers[severity];
    if (tier) tiers[severity] = { for: tier.for, runbook: tier.runbook };
  }
  return {
    minEvents: slo.alerting.minEvents,
    pairs: slo.alerting.pairs.map((p) => ({ severity: p.severity, long: formatDuration(p.long), short: formatDuration(p.short), budgetFraction: p.budgetFraction, factor: p.factor })),
    tiers,
    source: `${slo.source.file}:${slo.source.line}`,
  };
}

export interface HistoryPoint {
  /** Time of the evaluation shown (the newest one in its step). */
  t: number;
  status: StoredEvaluation['status'];
  budgetRemaining: number | null;
  errorRatio: number | null;
  burnRate: number | null;
}

/**
 * Pure: one point per `step` seconds (steps aligned to multiples of `step` since the epoch), the newest
 * evaluation of each step: budget remaining is a level, so the latest value is the step's value.
 * `evaluations` must be in time order.
 */
export function downsampleHistory(evaluations: readonly EvaluationPoint[], step: number): HistoryPoint[] {
  const points: HistoryPoint[] = [];
  let bucket: number | undefined;
  for (const e of evaluations) {
    const point = { t: e.t, status: e.status, budgetRemaining: e.budgetRemaining, errorRatio: e.errorRatio, burnRate: e.burnRate };
    const current = Math.floor(e.t / step);
    if (current === bucket) points[points.length - 1] = point;
    else points.push(point);
    bucket = current;
  }
  return points;
}

/** The newest `limit` alert state changes, oldest first. */
export function recentTransitions(changes: readonly AlertChange[], limit: number): AlertChange[] {
  return changes.slice(-limit);
}
