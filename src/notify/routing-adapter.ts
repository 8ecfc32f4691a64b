import { groupKey, groupLabels } from '../routing/group-key.js';
import { matchRoutes } from '../routing/match-routes.js';
import type { RouteNode, RoutingConfig } from '../routing/routing-model.js';
import type { GroupSettings, RoutingPort } from './routing-port.js';

const settingsOf = (route: RouteNode): GroupSettings => ({
  groupWait: route.groupWait,
  groupInterval: route.groupInterval,
  repeatInterval: route.repeatInterval,
  sendResolved: route.sendResolved,
});

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
      return [...(receiver?.slack ? [`${name}/slack`] : []), ...(receiver?.email ? [`${name}/email`] : [])];
    },
  };
}
