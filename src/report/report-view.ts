import { formatBurnShort, formatObjective, formatPercent, formatSpan, formatWindow, shortCommit } from '../render/format.js';
import { coverageText } from '../core/budget-coverage.js';
import { budgetColor, palette } from './chart-style.js';
import { localParts } from './iso-week.js';
import type { Projection, SloWeek, WeeklyReport } from './report-model.js';

/** The report as templates show it: every figure already formatted. */

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** `Mon 16 Nov 14:05` in the report's zone. */
export function formatLocal(t: number, timeZone: string, withTime = true): string {
  const p = localParts(t, timeZone);
  const weekday = weekdays[new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay()]!;
  const date = `${weekday} ${p.day} ${months[p.month - 1]}`;
  return withTime ? `${date} ${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}` : date;
}

/** An SLI as a percentage with enough digits to tell 99.9 from 99.95: `99.953%`. */
export function formatSli(sli: number | null): string {
  if (sli === null || !Number.isFinite(sli)) return 'n/a';
  return `${(sli * 100).toFixed(3)}%`;
}

/** A share of the budget spent, signed: `+12%`, `−3.5%` (budget came back as old errors left the window). */
export function formatConsumed(consumed: number | null): string {
  if (consumed === null) return 'n/a';
  if (Math.abs(consumed) < 0.0005) return '0%';
  return consumed > 0 ? `${formatPercent(consumed)}` : `−${formatPercent(-consumed)}`;
}

/** `1 page`, `2 pages`, `0 pages`. */
export function countOf(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}

export function formatCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)}M`;
  if (n >= 1e4) return `${Math.round(n / 1e3)}k`;
  return String(Math.round(n));
}

function projectionText(projection: Projection, timeZone: string): { label: string; risk: boolean } {
  switch (projection.status) {
    case 'exhausted':
      return { label: 'Budget exhausted', risk: true };
    case 'exhausts':
      return { label: `Runs out around ${formatLocal(projection.at, timeZone, false)} at this week's burn`, risk: true };
    case 'safe':
      return { label: 'On track for the window', risk: false };
    case 'unknown':
      return { label: 'Not enough data to project', risk: false };
  }
}

export interface ChartImages {
  budget: string;
  burn: string;
}

function sloView(slo: SloWeek, report: WeeklyReport, images: ChartImages | undefined) {
  const projection = projectionText(slo.projection, report.timeZone);
  const most = Math.max(...slo.deploys.map((d) => Math.abs(d.consumed)), Math.abs(slo.notAfterDeploy), 1e-9);
  return {
    name: slo.slo,
    service: slo.service,
    description: slo.description,
    objective: formatObjective(slo.objective),
    window: formatWindow(slo.window),
    color: budgetColor(slo.budgetEnd),
    budgetStart: formatPercent(slo.budgetStart),
    budgetEnd: formatPercent(slo.budgetEnd),
    budgetCovers: slo.budgetEndCoverage === null ? '' : coverageText(slo.budgetEndCoverage, slo.window),
    consumed: formatConsumed(slo.consumed),
    consumedPositive: (slo.consumed ?? 0) > 0,
    sliWeek: formatSli(slo.sliWeek),
    sliWindow: formatSli(slo.sliWindow),
    sliWeekMet: slo.sliWeek !== null && slo.sliWeek * 100 >= slo.objective,
    events: slo.events ? `${formatCount(slo.events.total)} events, ${formatCount(slo.events.errors)} bad` : 'no events',
    weekBurn: formatBurnShort(slo.weekBurnRate),
    projection: projection.label,
    atRisk: projection.risk,
    alerts: slo.alerts.map((a) => ({
      severity: a.severity,
      fired: a.firedAt === null ? 'before the week' : formatLocal(a.firedAt, report.timeZone),
      resolved: a.resolvedAt === null ? 'still firing' : formatLocal(a.resolvedAt, report.timeZone),
      timeToResolve: a.timeToResolve === null ? '—' : formatSpan(a.timeToResolve),
    })),
    alertSummary: {
      fired: slo.alertSummary.fired,
      page: slo.alertSummary.page,
      ticket: slo.alertSummary.ticket,
      pages: countOf(slo.alertSummary.page, 'page'),
      tickets: countOf(slo.alertSummary.ticket, 'ticket'),
      firing: formatSpan(slo.alertSummary.firingSeconds),
      meanTimeToResolve: formatSpan(slo.alertSummary.meanTimeToResolve),
      longestTimeToResolve: formatSpan(slo.alertSummary.longestTimeToResolve),
    },
    deploys: slo.deploys.map((d) => ({
      version: d.deploy.version ?? (shortCommit(d.deploy.commit) || d.deploy.id),
      service: d.deploy.service,
      author: d.deploy.author ?? '',
      summary: d.deploy.summary ?? '',
      url: d.deploy.url ?? '',
      when: formatLocal(d.deploy.finishedAt, report.timeZone),
      consumed: formatConsumed(d.consumed),
      bar: Math.round((Math.max(d.consumed, 0) / most) * 100),
      costly: d.consumed >= 0.01,
      beforeWeek: d.beforeWeek,
    })),
    notAfterDeploy: formatConsumed(slo.notAfterDeploy),
    notAfterDeployBar: Math.round((Math.max(slo.notAfterDeploy, 0) / most) * 100),
    images,
  };
}

export type SloView = ReturnType<typeof sloView>;

/** The template context of a report; `images` maps SLO names to the `src` of their two charts. */
export function reportView(report: WeeklyReport, images: ReadonlyMap<string, ChartImages> = new Map(), link?: string) {
  const slos = report.slos.map((slo) => sloView(slo, report, images.get(slo.slo)));
  const fired = report.slos.reduce((n, s) => n + s.alertSummary.fired, 0);
  const pages = report.slos.reduce((n, s) => n + s.alertSummary.page, 0);
  const deploys = report.slos.flatMap((s) => s.deploys.filter((d) => !d.beforeWeek).map((d) => d.deploy.id));
  const costliest = report.slos
    .flatMap((s) => s.deploys.map((d) => ({ slo: s.slo, d })))
    .sort((a, b) => b.d.consumed - a.d.consumed)[0];
  return {
    team: report.team,
    week: report.week,
    range: `${formatLocal(report.start, report.timeZone, false)} – ${formatLocal(report.end - 1, report.timeZone, false)} ${localParts(report.end - 1, report.timeZone).year}`,
    timeZone: report.timeZone,
    deployWindow: formatSpan(report.deployWindow),
    generated: formatLocal(report.generatedAt, report.timeZone),
    link: link ?? '',
    palette,
    summary: {
      slos: slos.length,
      atRisk: slos.filter((s) => s.atRisk),
      fired,
      pages,
      deploys: new Set(deploys).size,
      alertsFired: `${countOf(fired, 'alert')} fired`,
      pagesText: countOf(pages, 'page'),
      deploysText: countOf(new Set(deploys).size, 'deploy'),
      slosAtRisk: `${slos.filter((s) => s.atRisk).length} of ${countOf(slos.length, 'SLO')} at risk`,
      worst: slos[0],
      costliest: costliest && costliest.d.consumed > 0 ? { slo: costliest.slo, version: costliest.d.deploy.version ?? costliest.d.deploy.id, service: costliest.d.deploy.service, consumed: formatConsumed(costliest.d.consumed) } : undefined,
    },
    slos,
  };
}

export type ReportView = ReturnType<typeof reportView>;
