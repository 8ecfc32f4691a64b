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
}

/**
 * The budget each of the service's recent deploys (newest first, `deploys`) has cost `slo` so far, from the ledger's
 * settled buckets: the bucket a deploy lands in is charged to it (rows older than the fine span, to their coarse
 * boundary). Deploys that landed
 * before the SLO window are not costed, except the one live at the window's start when it is among `deploys`.
 */
export function deployCosts(slo: Pick<Slo, 'name' | 'objective' | 'window'>, deploys: readonly DeployEvent[], ledger: Pick<BucketLedger, 'windowCounts'>, now: number): DeployCost[] {
  const windowStart = now - slo.window;
  const windowTotal = ledger.windowCounts(slo.name, now, [slo.window]).get(slo.window)?.total ?? 0;
  const allowedErrors = errorBudget(slo) * windowTotal;
  const costs: DeployCost[] = [];
  let until = now;
  for (const deploy of [...deploys].sort((a, b) => b.finishedAt - a.finishedAt)) {
    if (deploy.finishedAt > now) continue;
    const from = Math.max(deploy.finishedAt, windowStart);
    const span = until - from;
    const counts = span > 0 ? ledger.windowCounts(slo.name, until, [span]).get(span) : undefined;
    const errors = Math.max(counts?.errors ?? 0, 0);
    const total = counts?.total ?? 0;
    costs.push({
      deploy,
      from,
      to: until,
      live: until === now,
      errors,
      total,
      budgetSpentPercent: allowedErrors > 0 ? (errors / allowedErrors) * 100 : null,
    });
    if (deploy.finishedAt <= windowStart) break;
    until = deploy.finishedAt;
  }
  return costs;
}
