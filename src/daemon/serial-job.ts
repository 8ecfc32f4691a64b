import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../log.js';

/** What starts a job by itself, besides a direct {@link SerialJob.run}. */
export type JobTrigger =
  /** A node-cron schedule, read in `timeZone`; a beat on which `when` says no is passed over. */
  | { cron: string; timeZone?: string; when?: () => boolean }
  /** Every `everyMs` of wall time (finer than cron), the first beat at start. */
  | { everyMs: number };

export interface SerialJobSpec<T> {
  /** The job's name in logs and cron task names. */
  name: string;
  work: () => Promise<T>;
  triggers?: readonly JobTrigger[];
  log: Logger;
  /** Logged when a triggered run fails; the next trigger tries again. */
  failed?: string;
  /** Logged when a trigger finds the last run still going. */
  busy?: string;
}

/**
 * One piece of the daemon's work that never runs twice at once, triggered by its schedule or run directly (a
 * test, a signal, an API call). A trigger that finds a run under way is passed over; a direct run waits for it
 * and then runs, so it always sees the clock and settings of its own moment. A triggered run that fails is
 * logged and never rejects; a direct run rejects with the failure. `stop()` disarms the triggers and waits for
 * the runs under way. Every daemon job is one.
 */
export class SerialJob<T = void> {
  private readonly tasks: ScheduledTask[] = [];
  private timer: NodeJS.Timeout | undefined;
  private started = false;
  private current: Promise<T> | undefined;

  constructor(private readonly spec: SerialJobSpec<T>) {}

  get name(): string {
    return this.spec.name;
  }

  /** Arms the triggers (an interval trigger beats at once). Idempotent. */
  start(): void {
    if (this.started) return;
    this.started = true;
    for (const [index, trigger] of (this.spec.triggers ?? []).entries()) {
      if ('cron' in trigger) {
        const name = index === 0 ? this.spec.name : `${this.spec.name}-${index}`;
        const beat = () => (trigger.when === undefined || trigger.when() ? this.trigger() : undefined);
        this.tasks.push(cron.schedule(trigger.cron, beat, { name, ...(trigger.timeZone !== undefined && { timezone: trigger.timeZone }) }));
      } else {
        void this.trigger();
        this.timer = setInterval(() => void this.trigger(), trigger.everyMs);
      }
    }
  }

  /** Runs the job now, or right after the run under way; rejects when this run fails. */
  run(): Promise<T> {
    const previous = this.current;
    const work = () => this.spec.work();
    const run = previous ? previous.then(work, work) : work();
    this.current = run;
    const clear = () => {
      if (this.current === run) this.current = undefined;
    };
    run.then(clear, clear);
    return run;
  }

  /** What a trigger does: a run unless one is under way (then logged as busy), its failure logged. Never rejects. */
  trigger(): Promise<void> {
    if (this.current) {
      if (this.spec.busy !== undefined) this.spec.log.warn(this.spec.busy);
      return this.current.then(ignore, ignore);
    }
    return this.run().then(ignore, (error: unknown) => this.spec.log.error({ err: error }, this.spec.failed ?? `${this.spec.name} failed`));
  }

  /** Disarms the triggers and waits for a running run. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    for (const task of this.tasks.splice(0)) await task.destroy();
    this.started = false;
    await this.current?.then(ignore, ignore);
  }
}

const ignore = (): void => undefined;
