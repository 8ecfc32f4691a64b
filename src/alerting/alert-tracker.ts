import type { SloEvaluation } from '../engine/slo-evaluation.js';
import { figuresFrom, type RegressionFigures } from './evaluation-figures.js';
import type { ConditionState } from '../core/burn-rate.js';

/** The deploy comparisons of one cycle, made at its evaluation time `at`. */
export interface RegressionChecks {
  at: number;
  bySlo: ReadonlyMap<string, { condition: ConditionState; figures: RegressionFigures }>;
}
import type { Slo } from '../slo/model.js';
import type { AlertChange } from './alert-history.js';
import { nextAlerts, type LifecycleSettings } from './alert-lifecycle.js';
import type { AlertStore, StoredAlert } from './alert-store.js';
import type { Alert } from './alert.js';
import { alertLabels } from './alert-lifecycle.js';
import { fingerprint } from './fingerprint.js';
import { severities } from '../slo/model.js';

/** Moves every SLO's alerts through their lifecycle, one evaluation at a time, in time order. */
export class AlertTracker {
  private slos: Map<string, Slo>;

  constructor(
    slos: readonly Slo[],
    private readonly store: AlertStore,
    private readonly settings: LifecycleSettings,
  ) {
    this.slos = new Map(slos.map((slo) => [slo.name, slo]));
  }

  /**
   * Call inside the transaction that stores the evaluations. Returns the alerts' state changes, in time order.
   * `regressions` are the deploy comparisons made at `regressions.at` (the cycle's own step), by SLO.
   */
  apply(evaluations: readonly SloEvaluation[], regressions?: RegressionChecks): AlertChange[] {
    const changes: AlertChange[] = [];
    for (const evaluation of [...evaluations].sort((a, b) => a.at - b.at)) {
      const slo = this.slos.get(evaluation.slo);
      if (!slo) continue;
      const previous = this.store.forSlo(slo.name);
      const check = evaluation.at === regressions?.at ? regressions.bySlo.get(slo.name) : undefined;
      const next = nextAlerts(slo, evaluation, previous, this.settings, check && { condition: check.condition, deployFinishedAt: check.figures.deploy.finishedAt });
      // The comparison behind an open DeployRegression travels with the SLO's figures until a newer one is made.
      const regression = check?.figures ?? [...previous.values()].find((alert) => alert.kind === 'deploy_regression' && alert.state !== 'resolved')?.figures.regression;
      changes.push(...this.store.replaceForSlo(slo.name, next, { ...figuresFrom(evaluation), ...(regression && { regression }) }));
    }
    return changes;
  }

  /** The comparison behind each SLO's open DeployRegression alert. */
  openRegressions(): Map<string, RegressionFigures> {
    const open = new Map<string, RegressionFigures>();
    for (const alert of this.store.openOfKind('deploy_regression')) {
      if (alert.figures.regression) open.set(alert.slo, alert.figures.regression);
    }
    return open;
  }

  /** Follows a reloaded SLO set from the next evaluation on. */
  setSlos(slos: readonly Slo[]): void {
    this.slos = new Map(slos.map((slo) => [slo.name, slo]));
  }

  /**
   * Ends the alerts no SLO of the current set can produce any more (the SLO was removed, a tier dropped, its
   * labels changed), at `now`: a firing one resolves, so its resolve is sent; a pending one, never sent, goes.
   * Call inside a transaction. Returns the state changes.
   */
  resolveOrphans(now: number): AlertChange[] {
    const changes: AlertChange[] = [];
    const bySlo = new Map<string, Map<string, StoredAlert>>();
    for (const alert of this.store.all()) {
      if (alert.state === 'resolved') continue;
      const own = bySlo.get(alert.slo) ?? new Map<string, StoredAlert>();
      bySlo.set(alert.slo, own.set(alert.fingerprint, alert));
    }
    for (const [name, open] of bySlo) {
      const producible = this.producible(name);
      const orphans = [...open.values()].filter((alert) => !producible.has(alert.fingerprint));
      if (orphans.length === 0) continue;
      const next = new Map<string, Alert>([...this.store.forSlo(name)].filter(([id]) => !orphans.some((orphan) => orphan.fingerprint === id)));
      for (const orphan of orphans) {
        if (orphan.state === 'firing') next.set(orphan.fingerprint, { ...orphan, state: 'resolved', resolvedAt: now, updatedAt: now });
      }
      // The figures are the last evaluation's the alert was judged by: nothing newer measured it.
      const figures = { ...(orphans[0]!.figures), at: now };
      changes.push(...this.store.replaceForSlo(name, next, figures));
    }
    return changes;
  }

  /** Fingerprints of the alerts the SLO's current definition can raise (none for an unknown SLO). */
  private producible(name: string): Set<string> {
    const slo = this.slos.get(name);
    if (!slo) return new Set();
    const ids = severities.filter((severity) => slo.alerting.tiers[severity] !== undefined).map((severity) => fingerprint(alertLabels(slo, 'burn', severity)));
    ids.push(fingerprint(alertLabels(slo, 'no_data', this.settings.noDataSeverity)));
    if (this.settings.regressionSeverity !== undefined) ids.push(fingerprint(alertLabels(slo, 'deploy_regression', this.settings.regressionSeverity)));
    return new Set(ids);
  }

  /** Forgets alert history older than `before`. */
  pruneHistory(before: number): number {
    return this.store.pruneHistory(before);
  }
}
