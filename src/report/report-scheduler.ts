import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../log.js';

/**
 * Runs the weekly report job on its cron schedule, read in the report's time zone, and retries failed sends
 * hourly (the job itself skips what was sent). `stop()` waits for a running job.
 */
export class ReportScheduler {
  private tasks: ScheduledTask[] = [];
  private running: Promise<void> | undefined;
  private lastFailed = 0;

  constructor(
    private readonly schedule: string,
    private readonly timeZone: string,
    private readonly job: (reason: 'schedule' | 'retry') => Promise<{ failed: number }>,
    private readonly log: Logger,
  ) {}

  start(): void {
    if (this.tasks.length > 0) return;
    this.tasks = [
      cron.schedule(this.schedule, () => this.runOnce('schedule'), { name: 'weekly-report', timezone: this.timeZone }),
      cron.schedule('17 * * * *', () => (this.lastFailed > 0 ? this.runOnce('retry') : undefined), { name: 'weekly-report-retry', timezone: this.timeZone }),
    ];
  }

  runOnce(reason: 'schedule' | 'retry' = 'schedule'): Promise<void> {
    if (this.running) return this.running;
    this.running = this.job(reason)
      .then((result) => {
        this.lastFailed = result.failed;
      })
      .catch((error: unknown) => this.log.error({ err: error }, 'weekly reports failed'))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  async stop(): Promise<void> {
    for (const task of this.tasks) await task.destroy();
    this.tasks = [];
    await this.running;
  }
}
