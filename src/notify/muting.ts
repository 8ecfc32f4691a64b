import type { Alert } from '../alerting/alert.js';

/**
 * Firing alerts that must not be notified now: silenced ones, and ticket burn alerts of an SLO whose page
 * burn alert fires (one incident, one page). Muted is not resolved: nothing is sent for it either way.
 */
export function mutedAlerts(alerts: readonly Alert[], isSilenced: (labels: Readonly<Record<string, string>>) => boolean): Set<string> {
  const paging = new Set(alerts.filter((a) => a.kind === 'burn' && a.severity === 'page' && a.state === 'firing').map((a) => a.slo));
  const muted = new Set<string>();
  for (const alert of alerts) {
    if (alert.state !== 'firing') continue;
    const inhibited = alert.kind === 'burn' && alert.severity === 'ticket' && paging.has(alert.slo);
    if (inhibited || isSilenced(alert.labels)) muted.add(alert.fingerprint);
  }
  return muted;
}
