import { AlertStore } from '../alerting/alert-store.js';
import type { Config } from '../config/config.js';
import type { Clock } from '../core/clock.js';
import type { DeployStore } from '../deploys/deploy-store.js';
import { SqliteLedger } from '../ledger/sqlite-ledger.js';
import type { Logger } from '../log.js';
import type { Slo } from '../slo/model.js';
import type { Db } from '../store/database.js';
import type { EvaluationStore } from '../engine/evaluation-store.js';
import { ReportDeliveryStore } from '../report/report-deliveries.js';
import { ReportScheduler } from '../report/report-scheduler.js';
import { reportSettingsOf } from '../report/report-settings.js';
import { defaultSenders, sendWeeklyReports, type ReportSenders } from '../report/send-weekly-reports.js';

export interface ReportJobParts {
  config: Config;
  slos: readonly Slo[];
  db: Db;
  store: EvaluationStore;
  deploys: DeployStore;
  clock: Clock;
  log: Logger;
  senders?: ReportSenders;
}

/** The daemon's weekly report schedule over its own database (the composition root starts and stops it). */
export function createReportScheduler(parts: ReportJobParts): ReportScheduler {
  const settings = reportSettingsOf(parts.config);
  const deliveries = new ReportDeliveryStore(parts.db);
  const deps = {
    slos: parts.slos,
    sources: { evaluations: parts.store, alerts: new AlertStore(parts.db), deploys: parts.deploys, ledger: new SqliteLedger(parts.db) },
    deliveries,
    routing: parts.config.routing,
    settings,
    related: parts.config.deploys.related,
    log: parts.log,
    senders: parts.senders ?? defaultSenders(parts.config.alerting.deliveryTimeout * 1000),
  };
  return new ReportScheduler(
    settings.schedule,
    settings.timeZone,
    async () => {
      const outcomes = await sendWeeklyReports(deps, parts.clock.now());
      return { failed: outcomes.filter((o) => o.result === 'failed').length };
    },
    parts.log,
  );
}
