import type { CycleGate } from './cycle-gate.js';
import type { EvaluationOutcome } from './evaluator.js';
import type { ReloadOutcome } from './reload.js';
import type { SerialJob } from './serial-job.js';

/** Every job of the daemon, each a {@link SerialJob}. */
export interface Jobs {
  /** Cron (`evaluation.schedule`): one evaluation cycle, then `buildInfo` and `housekeeping`. */
  evaluation: SerialJob<EvaluationOutcome | undefined>;
  /** After each evaluation cycle, when build info is configured: deploys found from the backend. */
  buildInfo: SerialJob | undefined;
  /** After each evaluation cycle, hourly on the daemon's clock: thinning, downsampling, retention. */
  housekeeping: SerialJob;
  /** Every second (by default): group, plan and deliver alert notifications. */
  delivery: SerialJob;
  /** Cron (the report schedule, in its time zone), retried hourly while a send failed. */
  weeklyReport: SerialJob;
  /** On demand (SIGHUP, `POST /-/reload`): the SLOs, runbooks and routing read again. */
  reload: SerialJob<ReloadOutcome>;
}

/**
 * The daemon's jobs and the gate they share: evaluation and delivery run beside each other, a reload alone
 * (it swaps the parts they use).
 */
export class DaemonJobs {
  constructor(
    readonly gate: CycleGate,
    readonly jobs: Jobs,
  ) {}

  /** Arms every schedule (delivery beats at once), then runs a first evaluation cycle and waits for it. */
  async start(): Promise<void> {
    const { evaluation, delivery, weeklyReport } = this.jobs;
    evaluation.start();
    delivery.start();
    weeklyReport.start();
    await evaluation.trigger();
  }

  /** Waits for a reload under way (it may be closing channels) and the cycles and beats running, then disarms every schedule. */
  async stop(): Promise<void> {
    await this.gate.exclusive(() => undefined);
    const { evaluation, delivery, weeklyReport, reload } = this.jobs;
    for (const job of [evaluation, delivery, weeklyReport, reload]) await job.stop();
  }
}
