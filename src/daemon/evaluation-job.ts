import type { Clock } from '../core/clock.js';
import type { BuildInfoWatcher } from '../deploys/build-info-watcher.js';
import type { Logger } from '../log.js';
import type { CycleGate } from './cycle-gate.js';
import type { Evaluator, EvaluationOutcome } from './evaluator.js';
import type { Housekeeping } from './housekeeping.js';
import { recordCycleMetrics } from './metric-updates.js';
import type { DaemonMetrics } from './metrics.js';
import type { Heartbeat } from './heartbeat.js';
import { SerialJob } from './serial-job.js';

export interface EvaluationJobParts {
  clock: Clock;
  /** The cron schedule of evaluation cycles. */
  schedule: string;
  gate: CycleGate;
  evaluator: Evaluator;
  /** Deploys found from build info after each cycle (when configured). */
  watcher: BuildInfoWatcher | undefined;
  housekeeping: Housekeeping;
  metrics: DaemonMetrics;
  /** A problem with the database file, which skips the cycle. */
  checkStorage: () => string | undefined;
  database: string;
  /** Aborted at stop: a running cycle is cut short. */
  signal: AbortSignal;
  /** After the first cycle that got to evaluate (for /readyz). */
  onEvaluated: () => void;
  /** Pinged after each successful cycle (when configured). */
  heartbeat: Heartbeat | undefined;
  /** Told the wall-clock time of each successful cycle (the Alertmanager output's Watchdog reads it). */
  onSuccessfulCycle?: (at: number) => void;
  log: Logger;
  /** Where the schedule says a cycle failed or was skipped. */
  scheduleLog: Logger;
}

export interface EvaluationJobs {
  /** On the schedule: one evaluation cycle, then build-info watching, then housekeeping when due. */
  evaluation: SerialJob<EvaluationOutcome | undefined>;
  buildInfo: SerialJob | undefined;
  housekeeping: SerialJob;
}

/** The evaluation leg of the daemon as three named jobs, the first running the other two after each cycle. */
export function evaluationJobs(parts: EvaluationJobParts): EvaluationJobs {
  const { clock, log } = parts;
  const { watcher } = parts;
  const buildInfo = watcher
    ? new SerialJob({
        name: 'build-info',
        log,
        work: () =>
          watcher.poll(clock.now()).then(
            (found) => found.forEach((deploy) => log.info({ service: deploy.service, version: deploy.version }, 'deploy detected from build info')),
            (error: unknown) => log.warn({ err: error }, 'build info poll failed; will retry'),
          ),
      })
    : undefined;
  const housekeeping = new SerialJob({ name: 'housekeeping', log, work: async () => void (await parts.housekeeping.runIfDue(clock.now())) });
  const cycle = async (): Promise<EvaluationOutcome | undefined> => {
    const started = performance.now();
    const now = clock.now();
    const problem = parts.checkStorage();
    if (problem !== undefined) {
      log.error({ database: parts.database, problem }, 'evaluation cycle skipped: the database file is not the one opened');
      return undefined;
    }
    const result = await parts.evaluator.evaluateDue(now, parts.signal);
    parts.onEvaluated();
    if (result) {
      const seconds = (performance.now() - started) / 1000;
      recordCycleMetrics(parts.metrics, result, seconds);
      // Successful: the backend answered for some SLO. A cycle that could read nothing is blind, and says so by silence.
      if (result.evaluations.some((evaluation) => evaluation.status !== 'backend_error')) {
        parts.metrics.lastSuccessfulCycle.set(clock.now());
        parts.onSuccessfulCycle?.(clock.now());
        parts.heartbeat?.beat();
      }
      log.info({ at: result.at, slos: result.evaluations.length, queries: result.queries, transitions: result.transitions.length, ms: Math.round(seconds * 1000) }, 'evaluation cycle finished');
    }
    await buildInfo?.run();
    await housekeeping.run();
    return result;
  };
  const evaluation = new SerialJob({
    name: 'evaluation',
    work: () => parts.gate.shared(cycle),
    triggers: [{ cron: parts.schedule }],
    log: parts.scheduleLog,
    failed: 'evaluation cycle failed',
    busy: 'previous evaluation still running: tick skipped',
  });
  return { evaluation, buildInfo, housekeeping };
}
