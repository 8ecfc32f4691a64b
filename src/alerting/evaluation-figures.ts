import type { SloEvaluation } from '../engine/slo-evaluation.js';
import type { Severity } from '../slo/model.js';

/** One alert window as a page shows it: the burn against its threshold. */
export interface PairFigure {
  severity: Severity;
  /** Seconds. */
  long: number;
  short: number;
  factor: number;
  longBurnRate: number | null;
  shortBurnRate: number | null;
  firing: boolean;
}

/** One side of a deploy comparison: its period and events. */
export interface ComparedPeriod {
  from: number;
  to: number;
  errors: number;
  total: number;
  /** errors / total; null without events. */
  ratio: number | null;
}

/** Why an SLO's DeployRegression alert fires (or fired): the deploy, the two periods compared, the rollback. */
export interface RegressionFigures {
  deploy: {
    id: string;
    service: string;
    version: string | null;
    commit: string | null;
    author: string | null;
    finishedAt: number;
    url: string | null;
  };
  before: ComparedPeriod;
  after: ComparedPeriod;
  /** Burn rate of the period after. */
  burnRate: number | null;
  /** How sure the ratio after is higher (0–1). */
  confidence: number | null;
  reason: string;
  /** How to roll back, from the settings (`verification.rollback`), with the deploy's fields filled in. */
  rollback: string | null;
  /** Where to roll back, as the deploy event gave it (`rollbackUrl`); absent in figures stored before it existed. */
  rollbackUrl?: string | null;
}

/** The figures of the evaluation behind an alert, frozen when the notification was planned. */
export interface EvaluationFigures {
  at: number;
  status: 'ok' | 'insufficient_data' | 'backend_error';
  /** Fraction of the SLO window's budget left; negative once overspent; null without data. */
  budgetRemaining: number | null;
  /** Fraction of the SLO window the budget covers (below 1 while history is shorter); absent in older records. */
  budgetCoverage?: number;
  /** Seconds; null when not burning; 0 when spent. */
  timeToExhaustion: number | null;
  /** Error ratio over the SLO window. */
  errorRatio: number | null;
  pairs: PairFigure[];
  /** The latest deploy comparison that made the SLO's DeployRegression alert fire or resolve; absent otherwise. */
  regression?: RegressionFigures;
}

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
