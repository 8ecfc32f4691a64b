import type { SloEvaluation } from '../engine/slo-evaluation.js';
import type { EvaluationFigures } from './notification.js';

/** The figures a notification shows, taken from an evaluation. */
export function figuresFrom(evaluation: SloEvaluation): EvaluationFigures {
  return {
    at: evaluation.at,
    status: evaluation.status,
    budgetRemaining: evaluation.budget.remaining,
    budgetCoverage: evaluation.budget.coverage,
    timeToExhaustion: evaluation.budget.timeToExhaustion,
    errorRatio: evaluation.budget.errorRatio,
    pairs: evaluation.severities.flatMap((decision) =>
      decision.pairs.map((pair) => ({
        severity: decision.severity,
        long: pair.pair.long,
        short: pair.pair.short,
        factor: pair.pair.factor,
        longBurnRate: pair.long.burnRate,
        shortBurnRate: pair.short.burnRate,
        firing: pair.state === 'firing',
      })),
    ),
  };
}
