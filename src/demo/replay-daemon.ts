import type { ManualClock } from '../core/clock.js';
import type { App } from '../daemon/app.js';

export interface ReplaySpan {
  /** Unix seconds: the daemon's first cycle. */
  from: number;
  /** Unix seconds: its last cycle. */
  to: number;
  /** Seconds the clock moves between cycles; each cycle replays the evaluation steps it missed (up to `evaluation.maxCatchUpSteps`). */
  step: number;
}

export interface ReplayProgress {
  at: number;
  cycles: number;
  evaluations: number;
  transitions: number;
}

/**
 * Runs a daemon built by `createApp` (without HTTP) over history on a manual clock: its own cycle, catch-up,
 * alert lifecycle, notification planning and housekeeping, as if it had been running since `from`.
 */
export async function replayDaemon(app: App, clock: ManualClock, span: ReplaySpan, onCycle?: (progress: ReplayProgress) => void): Promise<ReplayProgress> {
  if (!(span.step > 0)) throw new Error(`the replay step must be positive, got ${span.step}`);
  const progress: ReplayProgress = { at: span.from, cycles: 0, evaluations: 0, transitions: 0 };
  for (let t = span.from; ; t = Math.min(t + span.step, span.to)) {
    clock.set(t);
    const result = await app.tick();
    await app.notifyTick();
    if (result) {
      progress.cycles += 1;
      progress.evaluations += result.evaluations.length + result.replayed;
      progress.transitions += result.transitions.length;
    }
    progress.at = t;
    onCycle?.(progress);
    if (t >= span.to) return progress;
  }
}
