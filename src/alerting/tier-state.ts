import type { Severity } from '../slo/model.js';
import type { Alert } from './alert.js';

/** The burn alert of one severity of an SLO, as the lifecycle holds it: `inactive` when there is none or it resolved. */
export interface TierAlertState {
  state: 'inactive' | 'pending' | 'firing';
  /** When the alert's condition began; null when inactive. */
  activeSince: number | null;
  /** When the alert turned firing (after `for`); null unless firing. */
  firingSince: number | null;
}

export type TierAlert = Pick<Alert, 'kind' | 'severity' | 'state' | 'activeAt' | 'firedAt'>;

/** Pure: the state of an SLO's `severity` burn alert among its alerts. */
export function tierAlertState(alerts: Iterable<TierAlert>, severity: Severity): TierAlertState {
  for (const alert of alerts) {
    if (alert.kind !== 'burn' || alert.severity !== severity || alert.state === 'resolved') continue;
    return { state: alert.state, activeSince: alert.activeAt, firingSince: alert.state === 'firing' ? alert.firedAt : null };
  }
  return { state: 'inactive', activeSince: null, firingSince: null };
}
