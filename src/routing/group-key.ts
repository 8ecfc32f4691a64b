import { compareCodePoints } from '../labels/code-point-order.js';
import type { LabelSet } from '../labels/matchers.js';
import type { RouteNode } from './routing-model.js';

/**
 * The label that always separates groups, whatever `group_by` says: a page never joins the group (and so the
 * Slack message and email thread) of a ticket, where it would arrive as an edit that notifies nobody.
 */
export const separatingLabel = 'severity';

/**
 * The labels an alert is grouped by on a route: the `group_by` labels it has (all of them for `...`), plus its
 * severity.
 */
export function groupLabels(route: RouteNode, labels: LabelSet): Record<string, string> {
  const names = new Set(route.groupBy === 'all' ? Object.keys(labels) : route.groupBy.filter((name) => labels[name] !== undefined));
  if (labels[separatingLabel] !== undefined) names.add(separatingLabel);
  const out: Record<string, string> = {};
  for (const name of [...names].sort(compareCodePoints)) out[name] = labels[name] as string;
  return out;
}

/**
 * The group an alert joins on a route: the route id and its group labels, e.g. `0.1:{severity="page",slo="checkout"}`.
 * Stable whatever the label order; labels absent from the alert are left out, as Alertmanager does.
 */
export function groupKey(route: RouteNode, labels: LabelSet): string {
  const pairs = Object.entries(groupLabels(route, labels)).map(([name, value]) => `${name}=${JSON.stringify(value)}`);
  return `${route.id}:{${pairs.join(',')}}`;
}
