import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../log.js';

/**
 * Runs `job` on a cron schedule, never two at once (a tick that finds the last one still running is
 * skipped and logged). `stop()` waits for a running job to finish.
 */
export class Scheduler {
  private task: ScheduledTask | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly expression: string,
    private readonly job: () => Promise<void>,
    private readonly log: Logger,
  ) {}

  start(): void {
    if (this.task) return;
    this.task = cron.schedule(this.expression, () => this.runOnce(), { name: 'evaluation' });
  }

  /** Runs the job now unless it is already running. */
  runOnce(): Promise<void> {
    if (this.running) {
      this.log.warn('previous evaluation still running: tick skipped');
      return this.running;
    }
    this.running = this.job()
      .catch((error: unknown) => this.log.error({ err: error }, 'evaluation cycle failed'))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  async stop(): Promise<void> {
    await this.task?.destroy();
    this.task = undefined;
    await this.running;
  }
}
