import type { Config } from '../config/config.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../log.js';
import type { Slo } from '../slo/model.js';
import { reportSettingsOf } from '../report/report-settings.js';
import { defaultSenders, sendWeeklyReports, type ReportSenders } from '../report/send-weekly-reports.js';
import type { Stores } from './open-stores.js';

export interface ReportJobParts {
  config: Config;
  slos: readonly Slo[];
  stores: Stores;
  clock: Clock;
  log: Logger;
  senders?: ReportSenders;
}

/** The daemon's weekly reports over its own stores: when they are due, and one send of what is due. */
export interface WeeklyReports {
  /** node-cron expression, read in `timeZone`. */
  schedule: string;
  timeZone: string;
  /** Sends the reports of the last complete week not sent yet; how many sends failed. */
  send(): Promise<{ failed: number }>;
}

/** The weekly report work from the settings (the daemon schedules it as its weekly-report job). */
export function weeklyReports(parts: ReportJobParts): WeeklyReports {
  const settings = reportSettingsOf(parts.config);
  const { stores } = parts;
  const deps = {
    slos: parts.slos,
    sources: { evaluations: stores.evaluations, alerts: stores.alerts, deploys: stores.deploys, ledger: stores.ledger },
    deliveries: stores.reportDeliveries,
    routing: parts.config.routing,
    settings,
    related: parts.config.deploys.related,
    log: parts.log,
    senders: parts.senders ?? defaultSenders(parts.config.alerting.deliveryTimeout * 1000),
  };
  return {
    schedule: settings.schedule,
    timeZone: settings.timeZone,
    async send() {
      const outcomes = await sendWeeklyReports(deps, parts.clock.now());
      return { failed: outcomes.filter((o) => o.result === 'failed').length };
    },
  };
}
