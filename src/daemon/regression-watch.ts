import type { AlertTracker, RegressionChecks } from '../alerting/alert-tracker.js';
import type { RegressionFigures } from '../alerting/evaluation-figures.js';
import type { Logger } from '../log.js';
import { watchDeploys, type OpenRegression, type WatchDecision } from '../verify/deploy-watch.js';
import type { VerifierParts } from '../verify/verifier.js';
import type { DeployLookup } from '../verify/verify-target.js';

/** `{{service}}`, `{{version}}`, `{{commit}}`, `{{deploy}}` in the configured rollback filled from the deploy. */
export function rollbackText(template: string | undefined, deploy: WatchDecision['deploy']): string | null {
  if (template === undefined) return null;
  const values: Record<string, string> = { service: deploy.service, version: deploy.version ?? '', commit: deploy.commit ?? '', deploy: deploy.id };
  return template.replace(/\{\{\s*(service|version|commit|deploy)\s*\}\}/g, (_match, name: string) => values[name] ?? '');
}

/** A watch decision as the figures its alert carries. */
export function regressionFigures(decision: WatchDecision, rollback: string | undefined): RegressionFigures {
  const { deploy, verification: v } = decision;
  const side = (s: typeof v.baseline) => ({ from: s.from, to: s.to, errors: s.errors, total: s.total, ratio: s.ratio });
  return {
    deploy: { id: deploy.id, service: deploy.service, version: deploy.version, commit: deploy.commit, author: deploy.author, finishedAt: deploy.finishedAt, url: deploy.url },
    before: side(v.baseline),
    after: side(v.candidate),
    burnRate: v.candidate.burnRate,
    confidence: v.confidence,
    reason: v.reason,
    rollback: rollbackText(rollback, deploy),
    rollbackUrl: deploy.rollbackUrl,
  };
}

/**
 * The cycle's deploy comparisons for the alert tracker (verify/deploy-watch.ts), made at the cycle's step. A
 * failure to compare is logged and changes no alert.
 */
export function regressionWatch(parts: VerifierParts & { deploys: DeployLookup }, tracker: AlertTracker, log: Logger) {
  return async (at: number, now: number, signal?: AbortSignal): Promise<RegressionChecks | undefined> => {
    const open = new Map<string, OpenRegression>([...tracker.openRegressions()].map(([slo, figures]) => [slo, { deployId: figures.deploy.id, before: { from: figures.before.from, to: figures.before.to } }]));
    try {
      const decisions = await watchDeploys(parts, open, now, signal);
      return { at, bySlo: new Map(decisions.map((d) => [d.slo, { condition: d.condition, figures: regressionFigures(d, parts.settings.rollback) }])) };
    } catch (error) {
      signal?.throwIfAborted();
      log.warn({ err: error }, 'deploy verification failed this cycle; DeployRegression alerts keep their state');
      return undefined;
    }
  };
}
