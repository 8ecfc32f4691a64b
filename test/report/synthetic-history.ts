import { AlertStore } from '../../src/alerting/alert-store.js';
import { AlertTracker } from '../../src/alerting/alert-tracker.js';
import { DeployStore } from '../../src/deploys/deploy-store.js';
import { evaluateSlo } from '../../src/engine/slo-evaluation.js';
import { alertWindows } from '../../src/engine/slo-windows.js';
import { MemoryLedger } from '../../src/ledger/memory-ledger.js';
import type { Slo } from '../../src/slo/model.js';
import { openDatabase, type Db } from '../../src/store/database.js';
import { EvaluationStore } from '../../src/engine/evaluation-store.js';
import { testSlo } from '../support/slo-fixture.js';

export const hour = 3600;
export const day = 86_400;

export interface HourCounts {
  /** End of the hour, unix seconds. */
  end: number;
  errors: number;
  total: number;
}

export interface SyntheticHistory {
  db: Db;
  slo: Slo;
  ledger: MemoryLedger;
  store: EvaluationStore;
  alerts: AlertStore;
  deploys: DeployStore;
  /** The raw series, one entry per hour, oldest first. */
  hours: HourCounts[];
}

/**
 * An SLO whose events are given hour by hour: buckets into a ledger, one evaluation per hour (alert windows and
 * budget from the ledger) into an EvaluationStore, with the alert lifecycle's state, as the evaluator stores them. `errorsAt(end)` decides each
 * hour's errors out of `total` events.
 */
export function syntheticHistory(options: {
  from: number;
  to: number;
  total: (end: number) => number;
  errorsAt: (end: number) => number;
  slo?: Partial<Slo>;
  db?: Db;
}): SyntheticHistory {
  const db = options.db ?? openDatabase(':memory:');
  const slo = { ...testSlo({ name: 'checkout-availability', labels: { team: 'payments' } }), ...options.slo };
  const ledger = new MemoryLedger();
  const store = new EvaluationStore(db);
  const alerts = new AlertStore(db);
  const tracker = new AlertTracker([slo], alerts, { noDataAfter: 600, noDataSeverity: 'ticket' });
  const hours: HourCounts[] = [];
  ledger.reset(slo.name, 'synthetic');
  for (let end = options.from + hour; end <= options.to; end += hour) {
    const total = options.total(end);
    const errors = options.errorsAt(end);
    hours.push({ end, errors, total });
    ledger.append(slo.name, [{ end, width: hour, errors, total }]);
    const windows = ledger.windowCounts(slo.name, end, alertWindows(slo));
    const budget = ledger.windowCounts(slo.name, end, [slo.window]).get(slo.window)!;
    const evaluations = [evaluateSlo(slo, end, windows, budget)];
    db.transaction(() => {
      store.recordCycle(evaluations);
      tracker.apply(evaluations);
    })();
  }
  return { db, slo, ledger, store, alerts, deploys: new DeployStore(db), hours };
}

/** Errors and events of the hours ending in (from, to], straight from the raw series. */
export function rawCounts(hours: readonly HourCounts[], from: number, to: number): { errors: number; total: number } {
  const inside = hours.filter((h) => h.end > from && h.end <= to);
  return { errors: inside.reduce((s, h) => s + h.errors, 0), total: inside.reduce((s, h) => s + h.total, 0) };
}
