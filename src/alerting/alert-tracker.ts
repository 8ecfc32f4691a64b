import type { SloEvaluation } from '../engine/slo-evaluation.js';
import { figuresFrom } from '../notify/figures.js';
import type { Slo } from '../slo/model.js';
import type { AlertChange } from './alert-history.js';
import { nextAlerts, type LifecycleSettings } from './alert-lifecycle.js';
import type { AlertStore } from './alert-store.js';

/** Moves every SLO's alerts through their lifecycle, one evaluation at a time, in time order. */
export class AlertTracker {
  private readonly slos: Map<string, Slo>;

  constructor(
    slos: readonly Slo[],
    private readonly store: AlertStore,
    private readonly settings: LifecycleSettings,
  ) {
    this.slos = new Map(slos.map((slo) => [slo.name, slo]));
  }

  /** Call inside the transaction that stores the evaluations. Returns the alerts' state changes, in time order. */
  apply(evaluations: readonly SloEvaluation[]): AlertChange[] {
    const changes: AlertChange[] = [];
    for (const evaluation of [...evaluations].sort((a, b) => a.at - b.at)) {
      const slo = this.slos.get(evaluation.slo);
      if (!slo) continue;
      const next = nextAlerts(slo, evaluation, this.store.forSlo(slo.name), this.settings);
      changes.push(...this.store.replaceForSlo(slo.name, next, figuresFrom(evaluation)));
    }
    return changes;
  }

  /** Forgets alert history older than `before`. */
  pruneHistory(before: number): number {
    return this.store.pruneHistory(before);
  }
}
