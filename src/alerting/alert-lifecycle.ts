import type { ConditionState } from '../core/burn-rate.js';
import type { SloEvaluation } from '../engine/slo-evaluation.js';
import type { Severity, Slo } from '../slo/model.js';
import { alertNames, type Alert, type AlertKind } from './alert.js';
import { fingerprint } from './fingerprint.js';

export interface LifecycleSettings {
  /** Data missing (or the backend failing) this long fires the no-data alert. */
  noDataAfter: number;
  noDataSeverity: Severity;
  /** The severity of DeployRegression alerts; undefined when deploys are not watched. */
  regressionSeverity?: Severity;
}

/** The labels an SLO's alert carries: its own labels, then the ones burnrate sets (which win). */
export function alertLabels(slo: Slo, kind: AlertKind, severity: Severity): Record<string, string> {
  return { ...slo.labels, alertname: alertNames[kind], slo: slo.name, service: slo.service, severity };
}

/**
 * Whether this evaluation had no data to judge by: the backend failed, or every alert window lacked events.
 * (A quiet service with some events is low traffic, not missing data.)
 */
export function dataMissing(evaluation: SloEvaluation): boolean {
  return evaluation.status === 'backend_error' || evaluation.windows.every((window) => window.status === 'insufficient_data');
}

/**
 * One alert's next state given its condition now. `for` holds a new condition in `pending`; an `unknown`
 * condition changes nothing (a firing alert never resolves because data vanished); a pending alert whose
 * condition clears simply disappears (returns undefined), as it was never sent.
 */
export function stepAlert(
  previous: Alert | undefined,
  condition: ConditionState,
  holdFor: number,
  now: number,
  make: () => Omit<Alert, 'state' | 'activeAt' | 'firedAt' | 'resolvedAt' | 'updatedAt'>,
): Alert | undefined {
  const active = previous && previous.state !== 'resolved' ? previous : undefined;
  if (condition === 'unknown') return previous && { ...previous, updatedAt: now };
  if (condition === 'ok') {
    if (!active) return previous && { ...previous, updatedAt: now };
    if (active.state === 'pending') return undefined;
    return { ...active, state: 'resolved', resolvedAt: now, updatedAt: now };
  }
  if (!active) {
    const firing = holdFor === 0;
    return { ...make(), state: firing ? 'firing' : 'pending', activeAt: now, firedAt: firing ? now : null, resolvedAt: null, updatedAt: now };
  }
  if (active.state === 'pending' && now - active.activeAt >= holdFor) return { ...active, state: 'firing', firedAt: now, updatedAt: now };
  return { ...active, updatedAt: now };
}

/** A deploy comparison made at this evaluation: its condition, and when the deploy it judged finished. */
export interface RegressionCheck {
  condition: ConditionState;
  deployFinishedAt: number;
}

/**
 * The burn, no-data and deploy-regression alerts of one SLO after an evaluation, keyed by fingerprint (absent =
 * inactive). Without a deploy comparison at this evaluation a DeployRegression stays as it is. A regression the
 * SLO's burn page already covers (the page is pending or firing, or fired since the deploy) raises no
 * DeployRegression: the page names the deploy, and one incident pages once.
 */
export function nextAlerts(
  slo: Slo,
  evaluation: SloEvaluation,
  previous: ReadonlyMap<string, Alert>,
  settings: LifecycleSettings,
  regression?: RegressionCheck,
): Map<string, Alert> {
  const next = new Map<string, Alert>();
  const now = evaluation.at;
  const place = (kind: AlertKind, severity: Severity, condition: ConditionState, holdFor: number) => {
    const labels = alertLabels(slo, kind, severity);
    const id = fingerprint(labels);
    const alert = stepAlert(previous.get(id), condition, holdFor, now, () => ({ fingerprint: id, labels, kind, slo: slo.name, severity }));
    if (alert) next.set(id, alert);
  };
  for (const decision of evaluation.severities) {
    place('burn', decision.severity, decision.state, slo.alerting.tiers[decision.severity]?.for ?? 0);
  }
  place('no_data', settings.noDataSeverity, dataMissing(evaluation) ? 'firing' : 'ok', settings.noDataAfter);
  if (settings.regressionSeverity !== undefined) {
    const page = [...next.values()].find((alert) => alert.kind === 'burn' && alert.severity === 'page');
    const paged = page !== undefined && regression !== undefined && (page.state !== 'resolved' || (page.firedAt !== null && page.firedAt >= regression.deployFinishedAt));
    const condition = regression === undefined || (paged && regression.condition === 'firing') ? 'unknown' : regression.condition;
    place('deploy_regression', settings.regressionSeverity, condition, 0);
  }
  return next;
}
