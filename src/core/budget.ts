import type { WindowCounts } from './burn-rate.js';

export interface BudgetStatus {
  /** Fraction of the window's error budget still unspent: 1 − (error ratio / budget). Negative once overspent. null without data. */
  remaining: number | null;
  /** Error ratio over the whole SLO window, event-weighted. */
  errorRatio: number | null;
  /** Seconds until the budget is gone if the current burn rate holds; null when not burning, 0 when already spent. */
  timeToExhaustion: number | null;
}

/**
 * Budget over the SLO window, event-weighted: the window's errors against what the objective allows
 * for the window's events. Time to exhaustion assumes the current burn continues: at burn rate r the
 * budget of a window W lasts W / r, so what remains lasts remaining × W / r.
 */
export function budgetStatus(
  windowCounts: WindowCounts,
  budget: number,
  sloWindow: number,
  currentBurnRate: number | null,
): BudgetStatus {
  const { errors, total } = windowCounts;
  if (!(total > 0) || !Number.isFinite(errors) || !Number.isFinite(total)) {
    return { remaining: null, errorRatio: null, timeToExhaustion: null };
  }
  const errorRatio = Math.max(errors, 0) / total;
  const remaining = 1 - errorRatio / budget;
  let timeToExhaustion: number | null = null;
  if (remaining <= 0) timeToExhaustion = 0;
  else if (currentBurnRate !== null && currentBurnRate > 0) timeToExhaustion = (remaining * sloWindow) / currentBurnRate;
  return { remaining, errorRatio, timeToExhaustion };
}
