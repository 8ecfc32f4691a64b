import { budgetStatus, type BudgetStatus } from '../core/budget.js';
import { assessWindow, decideSeverities, type SeverityDecision, type WindowAssessment, type WindowCounts } from '../core/burn-rate.js';
import { distinctWindows } from '../core/windows.js';
import { errorBudget, type Slo } from '../slo/model.js';

/**
 * - `ok`: evaluated from data;
 * - `insufficient_data`: the SLO window has no events, so nothing can be said;
 * - `backend_error`: this cycle's queries failed; figures come from what was recorded before.
 */
export type SloStatus = 'ok' | 'insufficient_data' | 'backend_error';

export interface SloEvaluation {
  slo: string;
  service: string;
  at: number;
  status: SloStatus;
  error?: string;
  objective: number;
  windows: WindowAssessment[];
  severities: SeverityDecision[];
  budget: BudgetStatus & { window: number; coverage: number; burnRate: number | null };
}

/** The window whose burn rate predicts time to exhaustion. */
export const currentBurnWindow = 3600;

/** Every window an SLO's evaluation reads: the alert windows, the burn window and the SLO window. */
export function windowsToRead(slo: Slo): number[] {
  return [...new Set([...distinctWindows(slo.alerting.pairs), currentBurnWindow, slo.window])];
}

/** Pure: the evaluation of one SLO at `at` from the counts of its windows. */
export function evaluateSlo(
  slo: Slo,
  at: number,
  counts: ReadonlyMap<number, WindowCounts>,
  failure?: string,
): SloEvaluation {
  const get = (window: number): WindowCounts => counts.get(window) ?? { errors: 0, total: 0, coverage: 0 };
  const windows = distinctWindows(slo.alerting.pairs).map((window) =>
    assessWindow(window, get(window), slo.objective, slo.alerting.minEvents),
  );
  const burnWindow = assessWindow(currentBurnWindow, get(currentBurnWindow), slo.objective, 0);
  const sloWindow = get(slo.window);
  const budget = budgetStatus(sloWindow, errorBudget(slo), slo.window, burnWindow.burnRate);
  let status: SloStatus = sloWindow.total > 0 ? 'ok' : 'insufficient_data';
  if (failure !== undefined) status = 'backend_error';
  return {
    slo: slo.name,
    service: slo.service,
    at,
    status,
    ...(failure !== undefined && { error: failure }),
    objective: slo.objective,
    windows,
    severities: decideSeverities(slo, counts),
    budget: { ...budget, window: slo.window, coverage: sloWindow.coverage, burnRate: burnWindow.burnRate },
  };
}
