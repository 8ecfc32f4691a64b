import type { AlertStore } from '../alerting/alert-store.js';
import { alignDown } from '../core/time.js';
import type { DeployStore } from '../deploys/deploy-store.js';
import type { EvaluationStore, HistoryPolicy } from '../engine/evaluation-store.js';
import type { BucketSettings } from '../engine/sync-buckets.js';
import type { BucketLedger } from '../ledger/bucket-ledger.js';
import type { Logger } from '../log.js';
import type { NotifyStore } from '../notify/notify-store.js';
import type { Slo } from '../slo/model.js';
import { pruneGrowingTables, type RetentionTargets } from './retention.js';

/** Seconds of the daemon's clock between two housekeeping runs. */
export const housekeepingEvery = 3600;

export interface HousekeepingParts {
  /** The running SLOs (a reload replaces the array's contents). */
  slos: readonly Slo[];
  ledger: BucketLedger;
  /** Deploys landed in a time range: their bucket boundaries are kept when the ledger is thinned. */
  deploys: Pick<DeployStore, 'finishedBetween'>;
  settings: Pick<BucketSettings, 'bucket' | 'fineSpan' | 'coarseBucket'>;
  history: Omit<HistoryPolicy, 'keepFor'> & { retention: number };
  evaluations: EvaluationStore;
  alerts: AlertStore;
  notifications: NotifyStore;
  retention: RetentionTargets;
  log: Logger;
}

/**
 * The daemon's one housekeeping: hourly on its clock (the first at the first cycle), after an evaluation cycle.
 * The ledger is thinned and trimmed, the evaluation history downsampled and aged out, and the alert history aged
 * out, as of the last evaluation time; resolved alerts, old notifications, embedded samples and gate decisions
 * as of now.
 */
export class Housekeeping {
  private last = Number.NEGATIVE_INFINITY;

  constructor(private readonly parts: HousekeepingParts) {}

  /** Runs when an hour has passed since the last run; true when it ran. */
  async runIfDue(now: number): Promise<boolean> {
    if (now - this.last < housekeepingEvery) return false;
    const evaluatedAt = this.parts.evaluations.lastEvaluationTime();
    if (evaluatedAt !== undefined) this.tidyEvaluationHistory(evaluatedAt);
    const { alerts, notifications, retention } = this.parts;
    alerts.prune(now - 86_400);
    notifications.prune(now - 30 * 86_400);
    await pruneGrowingTables(retention, now);
    this.last = now;
    return true;
  }

  private tidyEvaluationHistory(at: number): void {
    const { slos, ledger, settings, history, evaluations, alerts } = this.parts;
    const { fineSpan, coarseBucket } = settings;
    const longestWindow = Math.max(...slos.map((slo) => slo.window));
    // The row a deploy's budget cost starts from (the bucket end at or before it landed) outlives thinning.
    const landed = new Map<string, number[]>();
    for (const deploy of this.parts.deploys.finishedBetween(at - longestWindow - coarseBucket, at - fineSpan)) {
      landed.set(deploy.service, [...(landed.get(deploy.service) ?? []), alignDown(deploy.finishedAt, settings.bucket)]);
    }
    let rows = 0;
    for (const slo of slos) {
      rows += ledger.thin(slo.name, at - fineSpan, coarseBucket, landed.get(slo.service) ?? []);
      rows += ledger.drop(slo.name, at - slo.window - coarseBucket);
    }
    const { retention, fullResolution, downsampleTo } = history;
    rows += evaluations.compact(at, { fullResolution, downsampleTo, keepFor: longestWindow + retention });
    rows += alerts.pruneHistory(at - longestWindow - retention);
    this.parts.log.debug({ rows }, 'housekeeping removed rows');
  }
}
