import { groupKey, groupLabels } from '../routing/group-key.js';
import { matchRoutes } from '../routing/match-routes.js';
import type { Receiver, RouteNode, RoutingConfig } from '../routing/routing-model.js';
import type { GroupSettings, RoutingPort } from './routing-port.js';

const settingsOf = (route: RouteNode): GroupSettings => ({
  groupWait: route.groupWait,
  groupInterval: route.groupInterval,
  repeatInterval: route.repeatInterval,
  sendResolved: route.sendResolved,
});

/**
 * A receiver's integrations: one per target it configures (every setting but its name), `receiver/kind`, in the
 * receiver's own order, so a new kind of target needs nothing here.
 */
const integrationsOf = (receiver: Receiver): string[] =>
  Object.entries(receiver)
    .filter(([kind, target]) => kind !== 'name' && Boolean(target))
    .map(([kind]) => `${receiver.name}/${kind}`);

/** The dispatcher's view of the configured routing tree and receivers. */
export function routingPort(config: RoutingConfig): RoutingPort {
  const byId = new Map<string, RouteNode>();
  const index = (route: RouteNode) => {
    byId.set(route.id, route);
    route.routes.forEach(index);
  };
  index(config.route);
  return {
    route: (labels) =>
      matchRoutes(config.route, labels).map((route) => ({
        routeId: route.id,
        receiver: route.receiver,
        groupKey: groupKey(route, labels),
        groupLabels: groupLabels(route, labels),
        settings: settingsOf(route),
      })),
    settings: (routeId) => {
      const route = byId.get(routeId);
      return route && settingsOf(route);
    },
    integrations: (name) => {
      const receiver = config.receivers.get(name);
      return receiver ? integrationsOf(receiver) : [];
    },
  };
}
