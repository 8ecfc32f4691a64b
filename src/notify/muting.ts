import type { Alert } from '../alerting/alert.js';

/**
 * Whether the page of the same SLO covers a ticket: the page fires, or it fired and resolved after the
 * ticket's burn began. One incident, one page: the ticket tier of a burn that was paged stays quiet even
 * after the page resolves (its longer windows keep it burning for hours); a later, separate burn tickets.
 */
function pageCovers(page: Alert | undefined, ticket: Alert): boolean {
  if (!page || page.firedAt === null) return false;
  return page.state === 'firing' || (page.resolvedAt !== null && page.resolvedAt >= ticket.activeAt);
}

/**
 * Firing alerts that must not be notified now: silenced ones, and ticket burn alerts covered by their
 * SLO's page. Muted is not resolved: nothing is sent for them either way.
 */
export function mutedAlerts(alerts: readonly Alert[], isSilenced: (labels: Readonly<Record<string, string>>) => boolean): Set<string> {
  const pages = new Map(alerts.filter((a) => a.kind === 'burn' && a.severity === 'page').map((a) => [a.slo, a]));
  const muted = new Set<string>();
  for (const alert of alerts) {
    if (alert.state !== 'firing') continue;
    const inhibited = alert.kind === 'burn' && alert.severity === 'ticket' && pageCovers(pages.get(alert.slo), alert);
    if (inhibited || isSilenced(alert.labels)) muted.add(alert.fingerprint);
  }
  return muted;
}
