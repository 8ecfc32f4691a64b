import { budgetStatus, type BudgetStatus } from '../core/budget.js';
import { assessWindow, decideSeverities, type SeverityDecision, type WindowAssessment, type WindowCounts } from '../core/burn-rate.js';
import { distinctWindows } from '../core/windows.js';
import { errorBudget, type Slo } from '../slo/model.js';
import type { BucketMethod } from './counter-buckets.js';
import { currentBurnWindow } from './slo-windows.js';

/**
 * - `ok`: evaluated from data;
 * - `insufficient_data`: the SLO window has no events, so nothing can be said;
 * - `backend_error`: this cycle's queries failed; alert windows are unknown, the budget is as last recorded.
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
  budget: BudgetStatus & {
    window: number;
    /** Fraction of the SLO window the counts cover: below 1 when the history is shorter than the window. */
    coverage: number;
    burnRate: number | null;
    /** Whether the counts are exact counter increments; otherwise why not. */
    exact: boolean;
    approximateBecause?: string;
    /** Pairs of samples read this cycle too far apart to count (longer than the gap limit): their increments are missing. */
    uncountedGaps?: number;
  };
}

const exactCounts: BucketMethod = { exact: true };

const noData: WindowCounts = { errors: 0, total: 0, coverage: 0 };

/**
 * Pure: one SLO's evaluation at `at` from its alert-window counts (keyed by window seconds) and the
 * counts of its whole compliance window, computed by `method`.
 */
export function evaluateSlo(
  slo: Slo,
  at: number,
  windowCounts: ReadonlyMap<number, WindowCounts>,
  budgetCounts: WindowCounts,
  failure?: string,
  method: BucketMethod = exactCounts,
): SloEvaluation {
  const get = (window: number): WindowCounts => windowCounts.get(window) ?? noData;
  const windows = distinctWindows(slo.alerting.pairs).map((window) =>
    assessWindow(window, get(window), slo.objective, slo.alerting.minEvents),
  );
  const burnWindow = assessWindow(currentBurnWindow, get(currentBurnWindow), slo.objective, 0);
  const budget = budgetStatus(budgetCounts, errorBudget(slo), slo.window, burnWindow.burnRate);
  let status: SloStatus = budgetCounts.total > 0 ? 'ok' : 'insufficient_data';
  if (failure !== undefined) status = 'backend_error';
  return {
    slo: slo.name,
    service: slo.service,
    at,
    status,
    ...(failure !== undefined && { error: failure }),
    objective: slo.objective,
    windows,
    severities: decideSeverities(slo, windowCounts),
    budget: {
      ...budget,
      window: slo.window,
      coverage: budgetCounts.coverage,
      burnRate: burnWindow.burnRate,
      exact: method.exact,
      ...(!method.exact && { approximateBecause: method.reason }),
    },
  };
}
