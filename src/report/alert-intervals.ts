import type { AlertChange } from '../alerting/alert-history.js';
import type { Severity } from '../slo/model.js';
import type { AlertInterval, AlertSummary } from './report-model.js';

/**
 * Firing intervals of one SLO's burn alerts that overlap [start, end), from their state changes in time order
 * (`pending` and `inactive` are no firing: the alert was never sent). A resolve with no firing before it was
 * firing since before the changes given.
 */
export function alertIntervals(transitions: ReadonlyArray<Pick<AlertChange, 'severity' | 'state' | 'at'>>, start: number, end: number): AlertInterval[] {
  const open = new Map<Severity, number>();
  const intervals: AlertInterval[] = [];
  const close = (severity: Severity, firedAt: number | null, resolvedAt: number | null) => {
    if (firedAt !== null && firedAt >= end) return;
    if (resolvedAt !== null && resolvedAt <= start) return;
    intervals.push({
      severity,
      firedAt,
      resolvedAt,
      timeToResolve: firedAt !== null && resolvedAt !== null ? resolvedAt - firedAt : null,
      firedThisWeek: firedAt !== null && firedAt >= start && firedAt < end,
    });
  };
  for (const transition of [...transitions].sort((a, b) => a.at - b.at)) {
    if (transition.state === 'firing') {
      if (!open.has(transition.severity)) open.set(transition.severity, transition.at);
    } else if (transition.state === 'resolved') {
      close(transition.severity, open.get(transition.severity) ?? null, transition.at);
      open.delete(transition.severity);
    }
  }
  for (const [severity, firedAt] of open) close(severity, firedAt, null);
  return intervals.sort((a, b) => (a.firedAt ?? start) - (b.firedAt ?? start));
}

/**
 * Counts of the week's alerts. An alert still firing counts up to `now` (the report's making) when the week is not
 * over yet, never beyond it.
 */
export function summarizeAlerts(intervals: readonly AlertInterval[], start: number, end: number, now: number): AlertSummary {
  const until = firingUntil(start, end, now);
  const fired = intervals.filter((i) => i.firedThisWeek);
  const resolved = intervals.map((i) => i.timeToResolve).filter((s): s is number => s !== null);
  return {
    fired: fired.length,
    page: fired.filter((i) => i.severity === 'page').length,
    ticket: fired.filter((i) => i.severity === 'ticket').length,
    firingSeconds: intervals.reduce((sum, i) => sum + Math.max(0, Math.min(i.resolvedAt ?? until, end) - Math.max(i.firedAt ?? start, start)), 0),
    meanTimeToResolve: resolved.length > 0 ? resolved.reduce((a, b) => a + b, 0) / resolved.length : null,
    longestTimeToResolve: resolved.length > 0 ? Math.max(...resolved) : null,
    openAtEnd: intervals.filter((i) => i.resolvedAt === null || i.resolvedAt >= until).length,
  };
}

/** Where a still-firing alert's interval ends in a week `[start, end)` reported at `now`: the week's end once it is over. */
export function firingUntil(start: number, end: number, now: number): number {
  return Math.min(end, Math.max(start, now));
}
