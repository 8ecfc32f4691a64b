import type { Alert } from '../alerting/alert.js';
import type { EvaluationFigures } from '../alerting/evaluation-figures.js';
import type { AlertDetail, Notification, SloSummary } from './notification.js';

/** A notification as planned: alerts and figures frozen; runbook, deploy and links are added at send time. */
export interface PlannedNotification extends Omit<Notification, 'alerts'> {
  alerts: Array<{ alert: Alert; slo: SloSummary; figures: EvaluationFigures }>;
}

/** Adds what is read at send time (the runbook's current content, the preceding deploy, links). */
export type Enrich = (planned: PlannedNotification) => Notification;

export type EnrichAlert = (planned: PlannedNotification['alerts'][number]) => Omit<AlertDetail, 'alert' | 'slo' | 'figures'>;

export function enrichWith(enrichAlert: EnrichAlert): Enrich {
  return (planned) => ({ ...planned, alerts: planned.alerts.map((a) => ({ ...a, ...enrichAlert(a) })) });
}
