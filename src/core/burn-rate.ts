import type { Severity, WindowPair } from './windows.js';

/** The error budget as a fraction of events: 1 − objective/100. */
export function errorBudget(slo: { objective: number }): number {
  return 1 - slo.objective / 100;
}

/** Event counts summed over one window, and how much of the window had data. */
export interface WindowCounts {
  errors: number;
  total: number;
  /** Fraction of the window's span that had data, 0..1. */
  coverage: number;
}

/**
 * - `ok`: enough data to judge.
 * - `insufficient_data`: no events, a non-finite count, or less than half of the window covered.
 * - `low_traffic`: data, but fewer events than the SLO's minEvents, so this window cannot trigger.
 */
export type WindowStatus = 'ok' | 'insufficient_data' | 'low_traffic';

export interface WindowAssessment {
  window: number;
  errors: number;
  total: number;
  coverage: number;
  status: WindowStatus;
  /** errors / total; null unless there were events. */
  errorRatio: number | null;
  /** errorRatio / (1 − objective); null unless there were events. */
  burnRate: number | null;
}

/** Three-valued: `unknown` when missing data leaves the answer open. */
export type ConditionState = 'firing' | 'ok' | 'unknown';

export interface PairDecision {
  pair: WindowPair;
  long: WindowAssessment;
  short: WindowAssessment;
  state: ConditionState;
}

export interface SeverityDecision {
  severity: Severity;
  state: ConditionState;
  pairs: PairDecision[];
}

const minimumCoverage = 0.5;

export function assessWindow(window: number, counts: WindowCounts, objective: number, minEvents: number): WindowAssessment {
  const { errors, total, coverage } = counts;
  const finite = Number.isFinite(errors) && Number.isFinite(total);
  const hasEvents = finite && total > 0;
  const errorRatio = hasEvents ? Math.min(Math.max(errors, 0) / total, 1) : null;
  const burnRate = errorRatio === null ? null : errorRatio / errorBudget({ objective });
  let status: WindowStatus = 'ok';
  if (!hasEvents || coverage < minimumCoverage) status = 'insufficient_data';
  else if (total < minEvents) status = 'low_traffic';
  return { window, errors, total, coverage, status, errorRatio, burnRate };
}

/** A window's own verdict against a threshold: above, below, or cannot say. */
function windowVerdict(assessment: WindowAssessment, factor: number): ConditionState {
  if (assessment.burnRate === null || assessment.status === 'insufficient_data') return 'unknown';
  if (assessment.burnRate < factor) return 'ok';
  // Too few events to trust a high ratio: it cannot trigger, but it does not prove health either.
  return assessment.status === 'low_traffic' ? 'ok' : 'firing';
}

/** AND of the two windows, in Kleene logic: one window clearly below threshold settles it. */
export function decidePair(pair: WindowPair, long: WindowAssessment, short: WindowAssessment): PairDecision {
  const verdicts = [windowVerdict(long, pair.factor), windowVerdict(short, pair.factor)];
  let state: ConditionState = 'firing';
  if (verdicts.includes('ok')) state = 'ok';
  else if (verdicts.includes('unknown')) state = 'unknown';
  return { pair, long, short, state };
}

/** OR across the pairs of one severity: any firing pair fires it; all pairs settled below makes it ok. */
export function combinePairs(severity: Severity, pairs: PairDecision[]): SeverityDecision {
  let state: ConditionState = 'ok';
  if (pairs.some((pair) => pair.state === 'firing')) state = 'firing';
  else if (pairs.some((pair) => pair.state === 'unknown')) state = 'unknown';
  return { severity, state, pairs };
}

/** What deciding an SLO's severities needs of it: the objective (percent) and its window pairs. */
export interface BurnRateRules {
  objective: number;
  alerting: {
    /** A window with fewer total events than this cannot trigger an alert. */
    minEvents: number;
    pairs: readonly WindowPair[];
  };
}

/** Decides every alerting severity of an SLO from per-window counts (keyed by window length in seconds). */
export function decideSeverities(
  slo: BurnRateRules,
  countsByWindow: ReadonlyMap<number, WindowCounts>,
): SeverityDecision[] {
  const assess = (window: number): WindowAssessment => {
    const counts = countsByWindow.get(window) ?? { errors: 0, total: 0, coverage: 0 };
    return assessWindow(window, counts, slo.objective, slo.alerting.minEvents);
  };
  const bySeverity = new Map<Severity, PairDecision[]>();
  for (const pair of slo.alerting.pairs) {
    const decisions = bySeverity.get(pair.severity) ?? [];
    decisions.push(decidePair(pair, assess(pair.long), assess(pair.short)));
    bySeverity.set(pair.severity, decisions);
  }
  return [...bySeverity].map(([severity, pairs]) => combinePairs(severity, pairs));
}
