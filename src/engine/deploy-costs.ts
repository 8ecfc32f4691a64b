import type { DeployEvent } from '../deploys/deploy.js';
import type { BucketLedger } from '../ledger/bucket-ledger.js';
import { errorBudget, type Slo } from '../slo/model.js';

/** How many of a service's latest deploys are costed: enough for "what changed lately" in a page. */
export const costedDeploys = 5;

/** The budget one deploy has cost an SLO: the errors counted while it was the live version. */
export interface DeployCost {
  deploy: DeployEvent;
  /** From the deploy landing (or the SLO window's start, if it landed earlier) ... */
  from: number;
  /** ... to the next deploy landing, or now while it is the live one. */
  to: number;
  live: boolean;
  errors: number;
  total: number;
  /**
   * Percent of the SLO window's error budget those errors spent, with the budget weighed by the window's events as
   * the budget remaining is: the costs of the deploys in the window add up to the budget spent. null without events.
   */
  budgetSpentPercent: number | null;
  /** False when a span edge fell between thinned (coarse) ledger rows: its split there is interpolated in time. */
  exact: boolean;
}

/**
 * The budget each of the service's recent deploys (`deploys`, any order) has cost `slo` so far, from the ledger's
 * settled buckets at `bucket` resolution: the bucket a deploy lands in is charged to it. Where the ledger's rows
 * around a landing were thinned to coarse ones (a deploy recorded after thinning, or history from before rows were
 * kept at landings), the split is interpolated in time and the cost marked inexact. Deploys that landed before the
 * SLO window are not costed, except the one live at the window's start when it is among `deploys`.
 */
export function deployCosts(
  slo: Pick<Slo, 'name' | 'objective' | 'window'>,
  deploys: readonly DeployEvent[],
  ledger: Pick<BucketLedger, 'windowCounts' | 'sumsAt'>,
  at: number,
  bucket: number,
): DeployCost[] {
  const now = Math.floor(at);
  const windowStart = now - slo.window;
  const windowTotal = ledger.windowCounts(slo.name, now, [slo.window]).get(slo.window)?.total ?? 0;
  const allowedErrors = errorBudget(slo) * windowTotal;
  const costs: DeployCost[] = [];
  let until = now;
  let upper = ledger.sumsAt(slo.name, until, bucket);
  for (const deploy of [...deploys].sort((a, b) => b.finishedAt - a.finishedAt)) {
    if (deploy.finishedAt > now) continue;
    const from = Math.max(deploy.finishedAt, windowStart);
    const lower = ledger.sumsAt(slo.name, from, bucket);
    const errors = Math.max(upper.errors - lower.errors, 0);
    costs.push({
      deploy,
      from,
      to: until,
      live: until === now,
      errors,
      total: Math.max(upper.total - lower.total, 0),
      budgetSpentPercent: allowedErrors > 0 ? (errors / allowedErrors) * 100 : null,
      exact: upper.exact && lower.exact,
    });
    if (deploy.finishedAt <= windowStart) break;
    until = deploy.finishedAt;
    upper = lower;
  }
  return costs;
}
