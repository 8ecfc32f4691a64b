import type { AlertStore } from '../alerting/alert-store.js';
import type { DeployStore } from '../deploys/deploy-store.js';
import type { BucketLedger } from '../ledger/bucket-ledger.js';
import type { Slo } from '../slo/model.js';
import type { EvaluationStore } from '../engine/evaluation-store.js';
import type { BuildReportInput } from './build-report.js';
import { formatIsoWeek, type WeekBounds } from './iso-week.js';
import type { ReportDeploy } from './report-model.js';

export interface ReportSources {
  evaluations: Pick<EvaluationStore, 'history'>;
  /** The alert lifecycle's history: what fired (after `for`) and resolved, as notified. */
  alerts: Pick<AlertStore, 'history'>;
  deploys: Pick<DeployStore, 'list'>;
  /** The week's event counts are summed from the ledger (exact at bucket ends), not from stored ratios. */
  ledger: Pick<BucketLedger, 'windowCounts'>;
}

export interface CollectOptions {
  deployWindow: number;
  now: number;
  /** Services whose deploys count for an SLO's service as well (config `deploys.related`). */
  related?: Readonly<Record<string, readonly string[]>>;
}

const day = 86_400;

/** Reads what {@link buildReport} needs for one team's SLOs and one week from the stores. */
export function collectReportInput(sources: ReportSources, team: string, slos: readonly Slo[], bounds: WeekBounds, options: CollectOptions): BuildReportInput {
  const { start, end } = bounds;
  const longest = Math.max(...slos.map((slo) => slo.window), 7 * day);
  const changes = sources.alerts.history(start - longest, Math.max(options.now, end)).filter((change) => change.kind === 'burn');
  return {
    team,
    week: formatIsoWeek(bounds.week),
    timeZone: bounds.timeZone,
    start,
    end,
    deployWindow: options.deployWindow,
    now: options.now,
    slos: slos.map((slo) => {
      const counts = sources.ledger.windowCounts(slo.name, end, [end - start]).get(end - start);
      const windowCounts = sources.ledger.windowCounts(slo.name, end, [slo.window]).get(slo.window);
      const windowStart = end - slo.window;
      // What ages out of the window, day by day: (windowStart, windowStart + d].
      const aging = Array.from({ length: Math.floor(slo.window / day) }, (_, i) => {
        const after = (i + 1) * day;
        const slice = sources.ledger.windowCounts(slo.name, windowStart + after, [after]).get(after)!;
        return { after, errors: slice.errors, total: slice.total };
      });
      const services = [slo.service, ...(options.related?.[slo.service] ?? [])];
      const deploys: ReportDeploy[] = services.flatMap((service) => sources.deploys.list({ service, from: start - options.deployWindow, to: end, limit: 1000 }));
      return {
        slo,
        evaluations: sources.evaluations.history(slo.name, Math.min(end - slo.window, start - day), end),
        weekCounts: counts && counts.total > 0 ? { errors: counts.errors, total: counts.total } : null,
        windowCounts: windowCounts && windowCounts.total > 0 ? { errors: windowCounts.errors, total: windowCounts.total, aging } : null,
        deploys,
        transitions: changes.filter((change) => change.slo === slo.name),
      };
    }),
  };
}
