import { buildReport } from '../../src/report/build-report.js';
import { collectReportInput } from '../../src/report/collect-report-input.js';
import { parseIsoWeek, weekBounds } from '../../src/report/iso-week.js';
import { day, hour, syntheticHistory } from './synthetic-history.js';

export const sampleBounds = weekBounds(parseIsoWeek('2026-W46')!, 'Europe/Berlin');

/** A payments report of 2026-W46 with one incident after deploy v1.4.0 and a quieter SLO. */
export function sampleReport() {
  const { start, end } = sampleBounds;
  const incident = start + 2 * day + 10 * hour;
  const history = syntheticHistory({
    from: start - 32 * day,
    to: end + day,
    total: () => 1200,
    errorsAt: (t) => (t > incident && t <= incident + 2 * hour ? 300 : t % (4 * hour) === 0 ? 1 : 0),
  });
  history.deploys.record({ service: 'checkout', version: 'v1.4.0', author: 'ana', finishedAt: incident - 900 }, 0);
  history.deploys.record({ service: 'checkout', version: 'v1.4.1', finishedAt: start + 4 * day + 11 * hour }, 0);
  const input = collectReportInput({ evaluations: history.store, alerts: history.alerts, deploys: history.deploys, ledger: history.ledger }, 'payments', [history.slo], sampleBounds, { deployWindow: 4 * hour, now: end + day });
  return { history, report: buildReport(input) };
}
