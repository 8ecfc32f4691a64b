import type { BudgetPoint, DeployCost, ReportDeploy } from './report-model.js';

export interface Attribution {
  /** Most budget first. */
  deploys: DeployCost[];
  notAfterDeploy: number;
}

/**
 * Splits the change in budget remaining across the week into the steps after deploys and the rest. Each step
 * between consecutive evaluations (its consumption: remaining before − remaining after) goes to the latest
 * deploy that finished before the step's end and at most `window` seconds before it; other steps are "not after
 * a deploy". The steps telescope, so the parts add up exactly to start − end.
 */
export function attributeDeploys(span: readonly BudgetPoint[], deploys: readonly ReportDeploy[], window: number, weekStart: number): Attribution {
  const ordered = [...deploys].sort((a, b) => a.finishedAt - b.finishedAt);
  const costs = new Map(ordered.map((deploy) => [deploy.id, 0]));
  let notAfterDeploy = 0;
  for (let i = 1; i < span.length; i += 1) {
    const before = span[i - 1]!;
    const after = span[i]!;
    const consumed = before.remaining - after.remaining;
    let owner: ReportDeploy | undefined;
    for (const deploy of ordered) {
      if (deploy.finishedAt >= after.t) break;
      if (after.t <= deploy.finishedAt + window) owner = deploy;
    }
    if (owner) costs.set(owner.id, costs.get(owner.id)! + consumed);
    else notAfterDeploy += consumed;
  }
  const result = ordered.map((deploy) => ({ deploy, consumed: costs.get(deploy.id)!, beforeWeek: deploy.finishedAt < weekStart }));
  result.sort((a, b) => b.consumed - a.consumed || a.deploy.finishedAt - b.deploy.finishedAt);
  return { deploys: result, notAfterDeploy };
}
