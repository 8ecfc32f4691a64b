import type { Alert } from '../alerting/alert.js';
import { inhibitStage, type PageOf } from './inhibit-stage.js';
import { silenceStage, type IsSilenced } from './silence-stage.js';

export { isBurnPage, pageCovers, type PageOf } from './inhibit-stage.js';

/**
 * Firing alerts that must not be notified now: ticket burn alerts covered by their SLO's page (the inhibit
 * stage), then silenced ones among the rest (the silence stage), in the alerts' order. Muted is not resolved:
 * nothing is sent for them either way.
 */
export function mutedAlerts(alerts: readonly Alert[], pageOf: PageOf, isSilenced: IsSilenced): Set<string> {
  const inhibited = inhibitStage({ alerts, pageOf });
  const silenced = silenceStage({ alerts: alerts.filter((alert) => !inhibited.has(alert.fingerprint)), isSilenced });
  return new Set(alerts.filter((alert) => inhibited.has(alert.fingerprint) || silenced.has(alert.fingerprint)).map((alert) => alert.fingerprint));
}
