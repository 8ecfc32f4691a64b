import type { Clock } from '../core/clock.js';
import type { Logger } from '../log.js';
import type { CycleGate } from './cycle-gate.js';
import { SerialJob } from './serial-job.js';

export interface DeliveryJobParts {
  clock: Clock;
  gate: CycleGate;
  /** One beat of alert delivery: group, plan, deliver what is due. */
  beat: (now: number) => Promise<void>;
  /** A problem with the database file, which skips the beat. */
  checkStorage: () => string | undefined;
  /** Milliseconds between beats; the first is at start (a restart delivers what is waiting without delay). */
  everyMs: number;
  log: Logger;
}

/** The delivery leg of the daemon: a beat every second (by default), finer than cron. */
export function deliveryJob(parts: DeliveryJobParts): SerialJob {
  return new SerialJob({
    name: 'delivery',
    work: () =>
      parts.gate.shared(async () => {
        if (parts.checkStorage() === undefined) await parts.beat(parts.clock.now());
      }),
    triggers: [{ everyMs: parts.everyMs }],
    log: parts.log,
    failed: 'notification loop failed',
  });
}
