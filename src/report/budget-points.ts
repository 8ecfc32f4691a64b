import type { EvaluationPoint } from '../engine/evaluation-store.js';
import type { BudgetPoint } from './report-model.js';

/** Evaluations with a budget figure, oldest first. */
export function budgetPoints(evaluations: readonly EvaluationPoint[]): BudgetPoint[] {
  return evaluations
    .filter((e): e is EvaluationPoint & { budgetRemaining: number } => e.budgetRemaining !== null && Number.isFinite(e.budgetRemaining))
    .map((e) => ({ t: e.t, remaining: e.budgetRemaining, coverage: e.coverage }))
    .sort((a, b) => a.t - b.t);
}

/**
 * The points that span the week: the last one at or before `start` (or, when history begins later, the first
 * inside the week) through the last one at or before `end`.
 */
export function weekSpan(points: readonly BudgetPoint[], start: number, end: number): BudgetPoint[] {
  let first = -1;
  for (let i = 0; i < points.length && points[i]!.t <= start; i += 1) first = i;
  if (first < 0) first = points.findIndex((p) => p.t > start && p.t <= end);
  if (first < 0) return [];
  let last = first;
  for (let i = first; i < points.length && points[i]!.t <= end; i += 1) last = i;
  return points.slice(first, last + 1);
}

/** At most `max` points, keeping the first and last and an even spread between. */
export function thinPoints<T>(points: readonly T[], max: number): T[] {
  if (points.length <= max) return [...points];
  const stride = (points.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => points[Math.round(i * stride)]!);
}
