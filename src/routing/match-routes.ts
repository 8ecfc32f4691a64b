import type { LabelSet } from '../labels/matchers.js';
import { matchesAll } from './matcher.js';
import type { RouteNode } from './routing-model.js';

/**
 * The routes an alert goes to, as Alertmanager's `Route.Match`: depth first, children in order. A node matches
 * when all its matchers do; the first matching child ends the search among its siblings unless it has
 * `continue`; a matching node none of whose children match is itself the result. Empty when the node does
 * not match (never for the root, which has no matchers).
 */
export function matchRoutes(route: RouteNode, labels: LabelSet): RouteNode[] {
  if (!matchesAll(route.matchers, labels)) return [];
  const found: RouteNode[] = [];
  for (const child of route.routes) {
    const matched = matchRoutes(child, labels);
    found.push(...matched);
    if (matched.length > 0 && !child.continue) break;
  }
  return found.length > 0 ? found : [route];
}
