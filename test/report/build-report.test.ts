import { describe, expect, it } from 'vitest';
import { buildReport, project } from '../../src/report/build-report.js';
import { collectReportInput } from '../../src/report/collect-report-input.js';
import { parseIsoWeek, weekBounds } from '../../src/report/iso-week.js';
import { errorBudget } from '../../src/slo/model.js';
import { day, hour, rawCounts, syntheticHistory } from './synthetic-history.js';

// 2026-W46 in Europe/Berlin: Mon 9 Nov 00:00 CET (8 Nov 23:00 UTC) to Mon 16 Nov 00:00 CET.
const bounds = weekBounds(parseIsoWeek('2026-W46')!, 'Europe/Berlin');
const { start, end } = bounds;
const incidentStart = start + 2 * day + 10 * hour; // Wed 11 Nov 10:00 CET
const slowBurnStart = start + 4 * day; // Fri 13 Nov 00:00 CET, for 12 hours

/** Traffic varies by hour of day so that averaging per-hour ratios would give a different SLI than counting events. */
const total = (t: number) => 1000 + 800 * Math.round(Math.sin((2 * Math.PI * t) / day) * 10) / 10;
const errorsAt = (t: number) => {
  if (t > incidentStart && t <= incidentStart + 2 * hour) return 400;
  if (t > slowBurnStart && t <= slowBurnStart + 12 * hour) return 8;
  // An old incident that leaves the 30-day window during the week: budget comes back.
  if (t > start - 28 * day && t <= start - 28 * day + hour) return 300;
  return t % (3 * hour) === 0 ? 1 : 0;
};

function build() {
  const history = syntheticHistory({ from: start - 40 * day, to: end + 2 * day, total, errorsAt });
  history.deploys.record({ service: 'checkout', version: 'v1.4.0', finishedAt: incidentStart - 20 * 60, author: 'ana' }, 0);
  history.deploys.record({ service: 'checkout', version: 'v1.4.1', finishedAt: start + 5 * day + 14 * hour }, 0);
  history.deploys.record({ service: 'checkout', version: 'v1.3.9', finishedAt: start - 2 * hour }, 0);
  history.deploys.record({ service: 'search', version: 'other-service', finishedAt: incidentStart - 10 * 60 }, 0);
  const input = collectReportInput({ evaluations: history.store, alerts: history.alerts, deploys: history.deploys, ledger: history.ledger }, 'payments', [history.slo], bounds, {
    deployWindow: 4 * hour,
    now: end + 2 * day,
  });
  return { history, report: buildReport(input) };
}

describe('weekly report figures against the raw series', () => {
  const { history, report } = build();
  const slo = report.slos[0]!;
  const budget = errorBudget(history.slo);
  const remainingAt = (t: number) => {
    const counts = rawCounts(history.hours, t - history.slo.window, t);
    return 1 - counts.errors / counts.total / budget;
  };

  it('budget remaining at both ends of the week equals 1 − (errors / events over the 30 days) / budget', () => {
    expect(slo.budgetStart).toBeCloseTo(remainingAt(start), 9);
    expect(slo.budgetEnd).toBeCloseTo(remainingAt(end), 9);
  });

  it('budget consumed this week is the difference of budget remaining at its ends', () => {
    expect(slo.consumed).toBeCloseTo(remainingAt(start) - remainingAt(end), 9);
  });

  it('the SLI of the week counts events, not hourly ratios', () => {
    const week = rawCounts(history.hours, start, end);
    expect(slo.sliWeek).toBeCloseTo(1 - week.errors / week.total, 12);
    expect(slo.events).toEqual(week);
    const meanOfRatios = 1 - history.hours.filter((h) => h.end > start && h.end <= end).reduce((s, h) => s + h.errors / h.total, 0) / (7 * 24);
    expect(Math.abs(meanOfRatios - slo.sliWeek!)).toBeGreaterThan(1e-5);
  });

  it('the SLI of the window is that of the evaluation at the end of the week', () => {
    const window = rawCounts(history.hours, end - history.slo.window, end);
    expect(slo.sliWindow).toBeCloseTo(1 - window.errors / window.total, 12);
  });

  it('deploy attribution adds up: deploys plus "not after a deploy" equal the week\'s consumption', () => {
    const sum = slo.deploys.reduce((s, d) => s + d.consumed, 0) + slo.notAfterDeploy;
    expect(sum).toBeCloseTo(slo.consumed!, 12);
  });

  it('the deploy before the incident costs what the raw series spent in its 4 hours, and costs the most', () => {
    const [costliest] = slo.deploys;
    expect(costliest?.deploy.version).toBe('v1.4.0');
    const deployAt = incidentStart - 20 * 60;
    const first = Math.ceil(deployAt / hour) * hour; // evaluations are hourly; the window charges steps ending in (deploy, deploy + 4h]
    const last = Math.floor((deployAt + 4 * hour) / hour) * hour;
    expect(costliest!.consumed).toBeCloseTo(remainingAt(first - hour) - remainingAt(last), 9);
    expect(slo.deploys.map((d) => d.deploy.service)).not.toContain('search');
  });

  it('counts the alerts that fired, with the time they took to resolve', () => {
    const page = slo.alerts.find((a) => a.severity === 'page');
    expect(page?.firedAt).toBeGreaterThan(incidentStart);
    expect(page?.firedAt).toBeLessThanOrEqual(incidentStart + 2 * hour);
    expect(page?.timeToResolve).toBe(page!.resolvedAt! - page!.firedAt!);
    expect(slo.alertSummary.fired).toBe(slo.alerts.filter((a) => a.firedThisWeek).length);
    expect(slo.alertSummary.page).toBeGreaterThanOrEqual(1);
  });

  it('charts: budget over the SLO window ending with the week, burn rates over the week', () => {
    expect(slo.budgetSeries.at(-1)?.t).toBeLessThanOrEqual(end);
    expect(slo.budgetSeries[0]!.t).toBeGreaterThan(end - history.slo.window);
    expect(slo.burnSeries.every((p) => p.t >= start && p.t <= end)).toBe(true);
    expect(Math.max(...slo.burnSeries.map((p) => p.burnRate ?? 0))).toBeGreaterThan(100);
  });
});

describe('projection at the week\'s burn rate', () => {
  const w = 30 * day;
  it.each([
    ['no budget left is exhausted', -0.1, 2, { status: 'exhausted' }],
    ['40% left at 2× runs out in 6 days', 0.4, 2, { status: 'exhausts', at: 1000 + 0.2 * w }],
    ['90% left at 0.5× lasts beyond the window', 0.9, 0.5, { status: 'safe', at: 1000 + 1.8 * w }],
    ['no burn at all is safe', 0.5, 0, { status: 'safe', at: null }],
    ['no data cannot be projected', null, 1, { status: 'unknown' }],
  ] as const)('%s', (_name, remaining, burn, expected) => {
    expect(project(remaining, burn, w, 1000)).toEqual(expected);
  });

  // 30,000 events in the window, 20 errors in its oldest day (budget 30): 33% left, burning 0.7× this week.
  const aging = Array.from({ length: 30 }, (_, d) => ({ after: (d + 1) * day, errors: 20, total: (d + 1) * 1000 }));
  it('with the rolling window: 33% left at 0.7× does not run out, because the old errors age out tomorrow', () => {
    expect(project(1 / 3, 0.7, w, 1000)).toEqual({ status: 'exhausts', at: 1000 + (w / 3) / 0.7 });
    expect(project(1 / 3, 0.7, w, 1000, { errors: 20, total: 30_000, aging, budget: 0.001, errorRatio: 0.0007 })).toEqual({ status: 'safe', at: null });
  });

  it('with the rolling window: a 2× burn still runs out, when the new errors outweigh what ages out', () => {
    expect(project(1 / 3, 2, w, 1000, { errors: 20, total: 30_000, aging, budget: 0.001, errorRatio: 0.002 })).toEqual({ status: 'exhausts', at: 1000 + 15 * day });
  });
});

describe('sorting', () => {
  it('puts the SLO with the least budget left first', () => {
    const a = syntheticHistory({ from: start - 35 * day, to: end, total: () => 1000, errorsAt: () => 0, slo: { name: 'quiet' } });
    const b = syntheticHistory({ db: a.db, from: start - 35 * day, to: end, total: () => 1000, errorsAt: (t) => (t % day === 0 ? 200 : 0), slo: { name: 'noisy' } });
    const ledger = { windowCounts: (slo: string, at: number, windows: readonly number[]) => (slo === 'quiet' ? a.ledger : b.ledger).windowCounts(slo, at, windows) };
    const report = buildReport(collectReportInput({ evaluations: a.store, alerts: a.alerts, deploys: a.deploys, ledger }, 'payments', [a.slo, b.slo], bounds, { deployWindow: 4 * hour, now: end }));
    expect(report.slos.map((s) => s.slo)).toEqual(['noisy', 'quiet']);
  });
});
