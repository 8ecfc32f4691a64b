export const severities = ['page', 'ticket'] as const;
export type Severity = (typeof severities)[number];

/** One row of the multiwindow multi-burn-rate table. Durations in seconds. */
export interface WindowPair {
  severity: Severity;
  long: number;
  short: number;
  /** Fraction of the SLO window's budget spent when this pair fires, e.g. 0.02. */
  budgetFraction: number;
  /** Burn-rate threshold: budgetFraction × SLO window / long window. */
  factor: number;
}

/** Burn-rate threshold at which a pair has spent `budgetFraction` of the budget over its long window. */
export function burnFactor(budgetFraction: number, sloWindow: number, longWindow: number): number {
  return (budgetFraction * sloWindow) / longWindow;
}

export function makePair(
  severity: Severity,
  long: number,
  short: number,
  budgetFraction: number,
  sloWindow: number,
): WindowPair {
  return { severity, long, short, budgetFraction, factor: burnFactor(budgetFraction, sloWindow, long) };
}

/** The workbook's short window: one twelfth of the long one. */
export function defaultShortWindow(long: number): number {
  return long / 12;
}

/** A pair can never fire when its threshold needs an error ratio above 100%. */
export function canEverFire(pair: WindowPair, objectivePercent: number): boolean {
  return pair.factor < 1 / (1 - objectivePercent / 100);
}

/**
 * Seconds a pair takes to fire from a clean start when the error ratio jumps to `errorRatio`:
 * (1 − objective) / e × long window × factor. Infinity when it never fires.
 */
export function timeToFire(pair: WindowPair, objectivePercent: number, errorRatio: number): number {
  const budget = 1 - objectivePercent / 100;
  const seconds = (budget / errorRatio) * pair.long * pair.factor;
  return errorRatio >= budget * pair.factor ? seconds : Number.POSITIVE_INFINITY;
}

/** Every distinct window length the pairs use, shortest first. */
export function distinctWindows(pairs: readonly WindowPair[]): number[] {
  return [...new Set(pairs.flatMap((pair) => [pair.long, pair.short]))].sort((a, b) => a - b);
}
