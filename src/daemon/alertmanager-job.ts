import type { AlertStore } from '../alerting/alert-store.js';
import { pushToAlertmanagers, type AlertmanagerSettings, type PushResult } from '../channels/alertmanager-output.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../log.js';
import type { SloSummary } from '../notify/notification.js';
import type { Enrich, PlannedNotification } from '../notify/planned-notification.js';
import type { CycleGate } from './cycle-gate.js';
import { SerialJob } from './serial-job.js';

export interface AlertmanagerJobParts {
  clock: Clock;
  gate: CycleGate;
  settings: AlertmanagerSettings;
  alerts: Pick<AlertStore, 'notifiable'>;
  /** The SLOs by name (a removed SLO's summary stays, so its resolve still goes out). */
  slos: ReadonlyMap<string, SloSummary>;
  /** What the Slack and email pages read at send time: runbook, preceding deploy, links. */
  enrich: Enrich;
  /** Wall-clock time of the last successful evaluation cycle, for the Watchdog. */
  lastSuccessfulCycle: () => number | undefined;
  log: Logger;
}

/**
 * The Alertmanager output: every `resendInterval` (the first at start), the firing and recently resolved alerts
 * posted to each configured Alertmanager. It only reads the alert store, so it runs beside evaluation and delivery.
 */
export function alertmanagerJob(parts: AlertmanagerJobParts): SerialJob<PushResult> {
  const { clock, settings, log } = parts;
  const push = (now: number) =>
    pushToAlertmanagers(
      {
        settings,
        log,
        lastSuccessfulCycle: parts.lastSuccessfulCycle,
        alerts: () => parts.alerts.notifiable(),
        slo: (name) => parts.slos.get(name),
        enrich: (alert, slo) => {
          const status = alert.state === 'firing' ? 'firing' : 'resolved';
          const planned: PlannedNotification = { id: alert.fingerprint, receiver: 'alertmanager', groupKey: alert.fingerprint, groupLabels: {}, status, alerts: [{ alert, slo, figures: alert.figures }], createdAt: now };
          const [detail] = parts.enrich(planned).alerts;
          if (detail === undefined) throw new Error('enriching an alert gave no alert');
          return detail;
        },
      },
      now,
    );
  return new SerialJob({
    name: 'alertmanager',
    work: () => parts.gate.shared(() => push(clock.now())),
    triggers: [{ everyMs: settings.resendInterval * 1000 }],
    log,
    failed: 'posting alerts to Alertmanager failed',
    busy: 'the last post to Alertmanager is still under way',
  });
}
