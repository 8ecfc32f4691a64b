import type { HeartbeatSettings } from '../config/heartbeat-settings.js';
import type { Logger } from '../log.js';

/**
 * Pings a heartbeat service after each successful cycle: the service pages when the pings stop, which catches
 * what the daemon cannot report itself (it hangs, its backend hangs, the machine is gone). A ping never delays a
 * cycle and never fails one: it runs beside it, one at a time, with a timeout, and a failed ping is logged.
 */
export class Heartbeat {
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly settings: HeartbeatSettings,
    private readonly log: Logger,
  ) {}

  /** Pings unless the previous ping is still under way. */
  beat(): void {
    if (this.inFlight) return;
    this.inFlight = this.ping().finally(() => (this.inFlight = undefined));
  }

  private async ping(): Promise<void> {
    try {
      const response = await fetch(this.settings.url, { signal: AbortSignal.timeout(this.settings.timeoutSeconds * 1000) });
      await response.body?.cancel();
      // The URL is a secret: logs name the outcome, never the address.
      if (!response.ok) this.log.warn({ status: response.status }, 'heartbeat ping refused');
    } catch (error) {
      // fetch says only "fetch failed"; the reason (refused, timed out, DNS) is its cause.
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
      this.log.warn({ reason: `${error instanceof Error ? error.message : String(error)}${cause}` }, 'heartbeat ping failed');
    }
  }

  /** Waits for a ping under way. */
  async close(): Promise<void> {
    await this.inFlight;
  }
}
