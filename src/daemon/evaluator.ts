import type { AlertChange } from '../alerting/alert-history.js';
import type { AlertTracker, RegressionChecks } from '../alerting/alert-tracker.js';
import { alignDown } from '../core/time.js';
import { runCycle, type EngineParts } from '../engine/evaluation-cycle.js';
import type { SloEvaluation } from '../engine/slo-evaluation.js';
import type { Logger } from '../log.js';
import type { EvaluationStore, HistoryPolicy } from '../engine/evaluation-store.js';
import { writeTransaction } from '../store/database.js';
import { writeAtOnce } from '../store/write-turn.js';

export interface EvaluatorSettings {
  queryDelay: number;
  maxCatchUpSteps: number;
  /** What housekeeping keeps of the history (daemon/housekeeping.ts; the evaluator does not read it). */
  history?: Omit<HistoryPolicy, 'keepFor'> & { retention: number };
}

export interface EvaluationOutcome {
  at: number;
  evaluations: SloEvaluation[];
  /** Alert state changes the cycle caused (pending, firing, resolved, inactive). */
  transitions: AlertChange[];
  queries: number;
  /** Evaluations of earlier missed steps stored with this one. */
  replayed: number;
}

/** One evaluation: bring buckets current, replay missed steps, evaluate, store (housekeeping.ts tidies up hourly). */
export class Evaluator {
  private readonly warnedApproximate = new Set<string>();

  constructor(
    private readonly parts: EngineParts,
    private readonly store: EvaluationStore,
    private readonly settings: EvaluatorSettings,
    private readonly log: Logger,
    private readonly alerts?: AlertTracker,
    /** The deploy comparisons of a cycle (regression-watch.ts), when deploys are watched. */
    private readonly regressions?: (at: number, now: number, signal?: AbortSignal) => Promise<RegressionChecks | undefined>,
  ) {}

  async evaluateDue(now: number, signal?: AbortSignal): Promise<EvaluationOutcome | undefined> {
    const { bucket } = this.parts.settings;
    const at = alignDown(now - this.settings.queryDelay, bucket);
    const last = this.store.lastEvaluationTime();
    if (last !== undefined && last >= at) return undefined;
    // Steps missed while the daemon or its backend was down are replayed, the most recent maxCatchUpSteps of them.
    const lastGood = this.store.lastGoodEvaluationTime();
    const from = lastGood === undefined ? at : Math.max(lastGood + bucket, at - this.settings.maxCatchUpSteps * bucket);
    if (lastGood !== undefined && from > lastGood + bucket) this.log.warn({ from: lastGood + bucket, to: from - bucket }, 'missed evaluations too old to replay');
    const cycle = await runCycle(this.parts, at, from, signal);
    const regressions = await this.regressions?.(at, now, signal);
    // A cycle cut short by shutdown is not recorded: its SLOs would read as backend errors.
    signal?.throwIfAborted();
    const current = cycle.evaluations.filter((evaluation) => evaluation.at === at);
    const replayed = cycle.evaluations.length - current.length;
    if (replayed > 0) this.log.info({ from, steps: (at - from) / bucket }, 'replayed evaluations missed while down');
    // Evaluations, alert states and their history of a cycle are one transaction.
    const transitions = await (this.parts.writeTurn ?? writeAtOnce).run(() =>
      writeTransaction(this.store.db, () => {
        this.store.recordCycle(cycle.evaluations);
        return this.alerts?.apply(cycle.evaluations, regressions) ?? [];
      }),
    );
    for (const { slo, kind, severity, state, at } of transitions) this.log.info({ slo, kind, severity, state, at }, 'alert state changed');
    for (const evaluation of current) {
      if (evaluation.status === 'backend_error') this.log.warn({ slo: evaluation.slo, error: evaluation.error }, 'SLO not evaluated');
      this.warnOfInexactBudget(evaluation);
    }
    return { at, evaluations: current, transitions, queries: cycle.queries, replayed };
  }

  /** Once per SLO (from the first cycle on): a budget that cannot be exact, and why. Sample gaps each time they occur. */
  private warnOfInexactBudget({ slo, budget }: SloEvaluation): void {
    if (!budget.exact && !this.warnedApproximate.has(slo)) {
      this.warnedApproximate.add(slo);
      this.log.warn({ slo, reason: budget.approximateBecause }, 'error budget approximate: summed from per-bucket increase(), not from counter increments');
    }
    if (budget.uncountedGaps) {
      this.log.warn({ slo, gaps: budget.uncountedGaps }, 'error budget misses the increments across gaps between samples longer than the gap limit');
    }
  }
}
