import type { EvaluationFigures } from './evaluation-figures.js';
import type { Severity } from '../slo/model.js';
import type { Alert, AlertKind } from './alert.js';

/**
 * A state an alert entered: `pending` (condition active, waiting out `for`), `firing`, `resolved` (a firing
 * alert's condition cleared), or `inactive` (a pending alert's condition cleared before it fired: never sent).
 */
export type AlertChangeState = 'pending' | 'firing' | 'resolved' | 'inactive';

/** One entry of the alert history: an alert's state change, with the figures of the evaluation that caused it. */
export interface AlertChange {
  /** The alert's fingerprint; null for entries imported from the condition history older versions kept. */
  fingerprint: string | null;
  slo: string;
  kind: AlertKind;
  severity: Severity;
  state: AlertChangeState;
  at: number;
  /** null for imported entries. */
  figures: EvaluationFigures | null;
}

const live = (alert: Alert | undefined): Alert | undefined => (alert && alert.state !== 'resolved' ? alert : undefined);

/**
 * Pure: the state changes between an SLO's alerts before and after one evaluation at `at` (both keyed by
 * fingerprint; absent = inactive). An alert that fires at once (no `for`) enters `firing` without `pending`.
 */
export function alertChanges(
  previous: ReadonlyMap<string, Alert>,
  next: ReadonlyMap<string, Alert>,
  at: number,
  figures: EvaluationFigures,
): AlertChange[] {
  const changes: AlertChange[] = [];
  const change = (alert: Alert, state: AlertChangeState) =>
    changes.push({ fingerprint: alert.fingerprint, slo: alert.slo, kind: alert.kind, severity: alert.severity, state, at, figures });
  for (const [id, before] of previous) {
    if (next.has(id)) continue;
    if (before.state === 'pending') change(before, 'inactive');
    else if (before.state === 'firing') change(before, 'resolved');
  }
  for (const [id, after] of next) {
    const before = live(previous.get(id));
    if (after.state === 'resolved') {
      if (before?.state === 'firing') change(after, 'resolved');
    } else if (!before || before.activeAt !== after.activeAt) {
      change(after, after.state);
    } else if (before.state === 'pending' && after.state === 'firing') {
      change(after, 'firing');
    }
  }
  return changes;
}
