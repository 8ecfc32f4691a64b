import type { Alert } from '../alerting/alert.js';

/** The SLO's page burn alert in any state, pending included; undefined when its condition is inactive. */
export type PageOf = (slo: string) => Alert | undefined;

/**
 * Whether the page of the same SLO covers a ticket, as an Alertmanager inhibit rule whose source is the page
 * (pending or firing) and whose target is the ticket:
 * - the page's condition is active, pending included: a fast burn holds its page in `for` while the ticket tier
 *   (often without `for`) is already firing; sending the ticket then would put a ticket before the page;
 * - or the page fired and resolved after the ticket's burn began: the ticket tier of a burn that was paged stays
 *   quiet after the page resolves (its longer windows keep it burning for hours); a later, separate burn tickets.
 */
export function pageCovers(page: Alert | undefined, ticket: Alert): boolean {
  if (!page) return false;
  if (page.state === 'pending' || page.state === 'firing') return true;
  return page.firedAt !== null && page.resolvedAt !== null && page.resolvedAt >= ticket.activeAt;
}

export const isBurnPage = (alert: Alert): boolean => alert.kind === 'burn' && alert.severity === 'page';
const isBurnTicket = (alert: Alert): boolean => alert.kind === 'burn' && alert.severity === 'ticket';

/**
 * Inhibit: the fingerprints of firing alerts covered by their SLO's burn page: its ticket, and its DeployRegression
 * (the page already names the deploy that preceded the burn; one incident, one page).
 */
export function inhibitStage(input: { alerts: readonly Alert[]; pageOf: PageOf }): Set<string> {
  const inhibited = new Set<string>();
  for (const alert of input.alerts) {
    const covered = isBurnTicket(alert) || alert.kind === 'deploy_regression';
    if (alert.state === 'firing' && covered && pageCovers(input.pageOf(alert.slo), alert)) inhibited.add(alert.fingerprint);
  }
  return inhibited;
}
