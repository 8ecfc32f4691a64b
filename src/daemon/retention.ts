import type { EmbeddedBackend } from '../backends/embedded/embedded-backend.js';
import { alertWindows } from '../engine/slo-windows.js';
import type { GateLog } from '../gate/gate-log.js';
import type { Slo } from '../slo/model.js';

const day = 86_400;

/**
 * How long embedded samples are kept, seconds: a ledger rebuilt from samples (a changed indicator) needs the
 * longest SLO window, the windows of its first evaluation reach one alert window further back, and a day of
 * margin covers replays after downtime.
 */
export function sampleRetention(slos: readonly Slo[], configured: number | undefined): number {
  if (configured !== undefined) return configured;
  const longestSlo = Math.max(0, ...slos.map((slo) => slo.window));
  const longestAlert = Math.max(0, ...slos.flatMap(alertWindows));
  return longestSlo + longestAlert + day;
}

export interface RetentionTargets {
  embedded: EmbeddedBackend | undefined;
  gateLog: GateLog;
  /** Seconds each kind of row is kept. */
  samplesFor: number;
  gateLogFor: number;
}

/** Deletes what has aged out of the tables the daemon's own traffic grows (the others prune themselves). */
export async function pruneGrowingTables(targets: RetentionTargets, now: number): Promise<{ samples: number; gateDecisions: number }> {
  const samples = (await targets.embedded?.deleteBefore(now - targets.samplesFor)) ?? 0;
  return { samples, gateDecisions: targets.gateLog.prune(now - targets.gateLogFor) };
}
