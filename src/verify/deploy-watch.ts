import { alignDown } from '../core/time.js';
import type { DeployEvent } from '../deploys/deploy.js';
import { maxFutureSeconds } from '../deploys/deploy-input.js';
import type { Slo } from '../slo/model.js';
import type { VerifierParts } from './verifier.js';
import { verifyService, type Period, type SloVerification } from './verify-service.js';
import type { DeployLookup } from './verify-target.js';

/** An SLO whose DeployRegression alert is open: the deploy it blames and the baseline it was judged against. */
export interface OpenRegression {
  deployId: string;
  before: Period;
}

/** What the watch concluded for one SLO this cycle; `unknown` changes nothing (too few events, backend down). */
export interface WatchDecision {
  slo: string;
  condition: 'firing' | 'ok' | 'unknown';
  deploy: DeployEvent;
  verification: SloVerification;
}

const conditionOf = (verification: SloVerification): WatchDecision['condition'] =>
  verification.verdict === 'fail' ? 'firing' : verification.verdict === 'pass' ? 'ok' : 'unknown';

/**
 * The daemon's watch after deploys, once a cycle. A service whose latest deploy finished within the verification
 * period is compared since that deploy against before it: a fail fires the SLO's DeployRegression, a pass ends
 * one that is open (a rollback is a deploy: the service after it is compared with the regressed time before it).
 * After the period, an open regression is compared over the latest period against the baseline it was judged
 * by, and ends once that passes. Inconclusive comparisons change nothing, and neither do SLOs with no recent deploy
 * and no open regression.
 */
export async function watchDeploys(
  parts: VerifierParts & { deploys: DeployLookup },
  open: ReadonlyMap<string, OpenRegression>,
  now: number,
  signal?: AbortSignal,
): Promise<WatchDecision[]> {
  const decisions: WatchDecision[] = [];
  const dataUntil = alignDown(now - parts.queryDelay, parts.bucket);
  const byService = new Map<string, Slo[]>();
  for (const slo of parts.slos) byService.set(slo.service, [...(byService.get(slo.service) ?? []), slo]);
  // One read for every service: the deploys recent enough to be watched, the newest of each service first.
  const recent = new Map<string, DeployEvent>();
  for (const deploy of parts.deploys.finishedBetween(dataUntil - parts.settings.period - parts.bucket, now + maxFutureSeconds)) {
    if (!recent.has(deploy.service)) recent.set(deploy.service, deploy);
  }
  for (const [service, slos] of byService) {
    const latest = recent.get(service);
    if (latest) {
      const answer = await verifyService({ service, slos, since: latest.finishedAt, deploy: latest, now: now - parts.queryDelay, bucket: parts.bucket, baseline: parts.settings.baseline, settings: parts.settings, backend: parts.backend, ...(signal && { signal }) });
      for (const verification of answer.slos) decisions.push({ slo: verification.slo, condition: conditionOf(verification), deploy: latest, verification });
      continue;
    }
    for (const slo of slos) {
      const regression = open.get(slo.name);
      const blamed = regression && parts.deploys.get(regression.deployId);
      if (!regression || !blamed) continue;
      // Recovery: the latest period against the baseline the regression was judged by.
      const since = dataUntil - parts.settings.period;
      const answer = await verifyService({ service, slos: [slo], since, deploy: blamed, now: now - parts.queryDelay, bucket: parts.bucket, baseline: 'before', baselinePeriod: regression.before, settings: parts.settings, backend: parts.backend, ...(signal && { signal }) });
      const verification = answer.slos[0]!;
      decisions.push({ slo: slo.name, condition: conditionOf(verification), deploy: blamed, verification });
    }
  }
  return decisions;
}
