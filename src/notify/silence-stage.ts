import type { Alert } from '../alerting/alert.js';

/** Whether an active silence mutes alerts with these labels (at the beat's time). */
export type IsSilenced = (labels: Readonly<Record<string, string>>) => boolean;

/** Silence: the fingerprints of firing alerts an active silence mutes. Resolved alerts are never silenced. */
export function silenceStage(input: { alerts: readonly Alert[]; isSilenced: IsSilenced }): Set<string> {
  const silenced = new Set<string>();
  for (const alert of input.alerts) {
    if (alert.state === 'firing' && input.isSilenced(alert.labels)) silenced.add(alert.fingerprint);
  }
  return silenced;
}
