import { alertLabels } from '../alerting/alert-lifecycle.js';
import { matchRoutes } from '../routing/match-routes.js';
import type { Receiver, RoutingConfig } from '../routing/routing-model.js';
import { severities, type Slo } from '../slo/model.js';

/**
 * Where a team's report goes: the configured `reports.receivers`, or else every receiver the burn alerts of the
 * team's SLOs route to (any severity), in name order.
 */
export function teamReceivers(routing: RoutingConfig | undefined, slos: readonly Slo[], configured: readonly string[] | undefined): Receiver[] {
  if (!routing) return [];
  const names = new Set<string>(configured ?? []);
  if (configured === undefined) {
    for (const slo of slos) {
      for (const severity of severities) {
        for (const route of matchRoutes(routing.route, alertLabels(slo, 'burn', severity))) names.add(route.receiver);
      }
    }
  }
  return [...names]
    .sort()
    .map((name) => routing.receivers.get(name))
    .filter((receiver): receiver is Receiver => receiver !== undefined);
}

/** Integration ids of a receiver, as the alert outbox names them: `payments/slack`, `payments/email`. */
export function receiverIntegrations(receiver: Receiver): Array<{ id: string; kind: 'slack' | 'email' }> {
  return [
    ...(receiver.slack ? [{ id: `${receiver.name}/slack`, kind: 'slack' as const }] : []),
    ...(receiver.email ? [{ id: `${receiver.name}/email`, kind: 'email' as const }] : []),
  ];
}
