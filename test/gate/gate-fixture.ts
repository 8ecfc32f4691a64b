import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AlertStore } from '../../src/alerting/alert-store.js';
import type { Alert } from '../../src/alerting/alert.js';
import type { WindowCounts } from '../../src/core/burn-rate.js';
import { evaluateSlo, type SloEvaluation } from '../../src/engine/slo-evaluation.js';
import { alertWindows } from '../../src/engine/slo-windows.js';
import { errorBudget, type Slo } from '../../src/slo/model.js';
import type { Db } from '../../src/store/database.js';
import { EvaluationStore } from '../../src/engine/evaluation-store.js';

export const t0 = Date.parse('2026-11-02T12:00:00Z') / 1000;

export interface Shape {
  /** Fraction of the window's budget left, e.g. 0.042. */
  budgetLeft?: number;
  /** Burn rate in every alert window (and the 1h burn window). */
  burn?: number;
  /** Evaluated as a failed cycle with this error. */
  failure?: string;
  /** No events in any window. */
  noData?: boolean;
  /** Fraction of the SLO window the budget's history covers (default 1). */
  budgetCoverage?: number;
}

const events = 1_000_000;

/** An evaluation made by the engine's own pure function from counts shaped to give these figures. */
export function evaluation(slo: Slo, at: number, shape: Shape = {}): SloEvaluation {
  const budget = errorBudget(slo);
  const counts = (ratio: number): WindowCounts => (shape.noData ? { errors: 0, total: 0, coverage: 0 } : { errors: ratio * events, total: events, coverage: 1 });
  const windows = new Map(alertWindows(slo).map((window) => [window, counts((shape.burn ?? 0.5) * budget)]));
  const budgetCounts = { ...counts((1 - (shape.budgetLeft ?? 0.8)) * budget), ...(shape.budgetCoverage !== undefined && { coverage: shape.budgetCoverage }) };
  return evaluateSlo(slo, at, windows, budgetCounts, shape.failure);
}

/** Records evaluations as the evaluator does. */
export function record(db: Db, evaluations: readonly SloEvaluation[]): void {
  new EvaluationStore(db).recordCycle(evaluations);
}

/** Puts a firing page alert on the SLO, as the alert tracker stores it. */
export function firePage(db: Db, slo: Slo, firedAt: number): void {
  const alert: Alert = {
    fingerprint: `page-${slo.name}`,
    labels: { alertname: 'SLOBurnRate', slo: slo.name, service: slo.service, severity: 'page' },
    kind: 'burn',
    slo: slo.name,
    severity: 'page',
    state: 'firing',
    activeAt: firedAt - 60,
    firedAt,
    resolvedAt: null,
    updatedAt: firedAt,
  };
  new AlertStore(db).replaceForSlo(slo.name, new Map([[alert.fingerprint, alert]]), {
    at: firedAt,
    status: 'ok',
    budgetRemaining: 0.5,
    timeToExhaustion: null,
    errorRatio: 0.0005,
    pairs: [],
  });
}

const sloFile = (name: string, service: string) => `apiVersion: burnrate/v1
kind: SLO
metadata:
  name: ${name}
  service: ${service}
spec:
  objective: 99.9
  window: 30d
  indicator:
    ratio:
      errors: sum(rate(http_requests_total{service="${service}",code=~"5.."}[{{window}}]))
      total: sum(rate(http_requests_total{service="${service}"}[{{window}}]))
  alerting:
    page:
      runbook: ${service}.md
    ticket:
      runbook: ${service}.md
`;

/** A project directory: SLO files for checkout (availability, latency) and search, runbooks, and an optional burnrate.yaml. */
export function writeProject(dir: string, config?: string): { slos: string; db: string; config: string } {
  mkdirSync(join(dir, 'slos'), { recursive: true });
  mkdirSync(join(dir, 'runbooks'), { recursive: true });
  writeFileSync(join(dir, 'slos', 'checkout.yaml'), `${sloFile('checkout-availability', 'checkout')}---\n${sloFile('checkout-latency', 'checkout')}`);
  writeFileSync(join(dir, 'slos', 'search.yaml'), sloFile('search-availability', 'search'));
  for (const service of ['checkout', 'search']) writeFileSync(join(dir, 'runbooks', `${service}.md`), `# ${service}\n\nRoll back.\n`);
  writeFileSync(join(dir, 'burnrate.yaml'), config ?? 'database: burnrate.db\n');
  return { slos: join(dir, 'slos'), db: join(dir, 'burnrate.db'), config: join(dir, 'burnrate.yaml') };
}
