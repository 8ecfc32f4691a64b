import type { Logger } from '../log.js';

/**
 * Runs `job` every `intervalMs`, never two at once; `stop()` waits for a running job. For the
 * dispatcher's one-second beat, which is finer than cron.
 */
export class IntervalLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly intervalMs: number,
    private readonly job: () => Promise<void>,
    private readonly log: Logger,
  ) {}

  /** Runs the job at once (a restart delivers what is waiting without delay), then every interval. */
  start(): void {
    if (this.timer) return;
    this.beat();
    this.timer = setInterval(() => this.beat(), this.intervalMs);
  }

  private beat(): void {
    if (this.running) return;
    this.running = this.job()
      .catch((error: unknown) => this.log.error({ err: error }, 'notification loop failed'))
      .finally(() => {
        this.running = undefined;
      });
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
