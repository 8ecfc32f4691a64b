import { distinctWindows } from '../core/windows.js';
import type { Slo } from '../slo/model.js';

/** The window whose burn rate predicts time to exhaustion. */
export const currentBurnWindow = 3600;

/** Windows read exactly from the backend at each evaluated step: the alert windows and the burn window. */
export function alertWindows(slo: Slo): number[] {
  return [...new Set([...distinctWindows(slo.alerting.pairs), currentBurnWindow])].sort((a, b) => a - b);
}
