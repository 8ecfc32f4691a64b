import type { StoredAlert } from '../alerting/alert-store.js';
import type { RoutedGroup, RoutingPort } from './routing-port.js';

/** An aggregation group's id: its route and the values of that route's group_by labels. */
export const groupIdOf = (routeId: string, groupKey: string): string => `${routeId}\u001f${groupKey}`;

/** The alerts routed into one aggregation group this beat. */
export interface GroupMembers {
  routed: RoutedGroup;
  alerts: StoredAlert[];
}

/**
 * Route: every alert into the aggregation group of each route it matches (more than one with `continue`), keyed
 * by group id, in the order the alerts and their routes come.
 */
export function routeStage(input: { alerts: readonly StoredAlert[]; route: RoutingPort['route'] }): Map<string, GroupMembers> {
  const members = new Map<string, GroupMembers>();
  for (const alert of input.alerts) {
    for (const routed of input.route(alert.labels)) {
      const id = groupIdOf(routed.routeId, routed.groupKey);
      const group = members.get(id) ?? { routed, alerts: [] };
      group.alerts.push(alert);
      members.set(id, group);
    }
  }
  return members;
}
