import type { DeployInput } from '../deploys/deploy-input.js';
import type { Incident } from './incidents.js';

export type DemoDeploy = DeployInput & { service: string; version: string; finishedAt: number };

const minute = 60;
const hour = 3600;

/**
 * The deploys of the demo: one shortly before checkout's fast burn (the page names it), one before search's
 * latency regression, and quiet ones that cost nothing.
 */
export function demoDeploys(incidents: readonly Incident[]): DemoDeploy[] {
  const find = (service: string, kind: Incident['kind']) => incidents.find((i) => i.service === service && i.kind === kind);
  const deploys: DemoDeploy[] = [];
  const fastBurn = find('checkout', 'fast-burn');
  if (fastBurn) {
    deploys.push({ service: 'checkout', version: 'v2.14.0', commit: '9f3c2e1', author: 'ana', summary: 'New payment provider client', finishedAt: fastBurn.start - 10 * minute });
    deploys.push({ service: 'checkout', version: 'v2.13.2', commit: '41be7a0', author: 'li', summary: 'Copy changes on the basket page', finishedAt: fastBurn.start - 2 * 24 * hour });
    deploys.push({ service: 'checkout', version: 'v2.14.1', commit: 'c07d5b8', author: 'ana', summary: 'Roll back the payment provider client', finishedAt: fastBurn.end + 5 * minute });
  }
  const regression = find('search', 'latency-regression');
  if (regression) deploys.push({ service: 'search', version: 'v7.3.0', commit: '2d8e44f', author: 'sam', summary: 'Ranking model refresh', finishedAt: regression.start - 20 * minute });
  return deploys.sort((a, b) => a.finishedAt - b.finishedAt);
}
