import { rollingExhaustion, type AgingSlice } from '../core/rolling-projection.js';
import type { AlertChange } from '../alerting/alert-history.js';
import { errorBudget, type Slo } from '../slo/model.js';
import type { EvaluationPoint } from '../engine/evaluation-store.js';
import { alertIntervals, summarizeAlerts } from './alert-intervals.js';
import { attributeDeploys } from './attribute-deploys.js';
import { budgetPoints, thinPoints, weekSpan } from './budget-points.js';
import type { Projection, ReportDeploy, SloWeek, WeeklyReport } from './report-model.js';

export type ReportSlo = Pick<Slo, 'name' | 'service' | 'description' | 'objective' | 'window'>;

export interface SloReportInput {
  slo: ReportSlo;
  /** Stored evaluations from (end − SLO window) or earlier through end. */
  evaluations: readonly EvaluationPoint[];
  /** Events of the week [start, end), from the bucket ledger; null when it holds none. */
  weekCounts: { errors: number; total: number } | null;
  /** Events of the SLO window ending with the week, and what of them ages out day by day (from the ledger). */
  windowCounts?: { errors: number; total: number; aging: readonly AgingSlice[] } | null;
  /** Deploys of the SLO's service (and related services) finished in [start − deployWindow, end). */
  deploys: readonly ReportDeploy[];
  /** The SLO's burn alert state changes from before the week (to see what was already firing) up to the report's making. */
  transitions: ReadonlyArray<Pick<AlertChange, 'severity' | 'state' | 'at'>>;
}

export interface BuildReportInput {
  team: string;
  week: string;
  timeZone: string;
  start: number;
  end: number;
  /** Seconds after a deploy whose budget is charged to it. */
  deployWindow: number;
  now: number;
  slos: readonly SloReportInput[];
}

const chartPoints = 360;

/** Pure: the weekly report of one team from explicit inputs. */
export function buildReport(input: BuildReportInput): WeeklyReport {
  const slos = input.slos.map((slo) => buildSloWeek(slo, input));
  slos.sort(worstFirst);
  return {
    team: input.team,
    week: input.week,
    timeZone: input.timeZone,
    start: input.start,
    end: input.end,
    generatedAt: input.now,
    deployWindow: input.deployWindow,
    slos,
  };
}

function buildSloWeek(input: SloReportInput, week: BuildReportInput): SloWeek {
  const { slo } = input;
  const { start, end } = week;
  const points = budgetPoints(input.evaluations);
  const span = weekSpan(points, start, end);
  const first = span[0];
  const last = span.at(-1);
  const budgetStart = first?.remaining ?? null;
  const budgetEnd = last?.remaining ?? null;
  const endEvaluation = [...input.evaluations].reverse().find((e) => e.t <= end && e.errorRatio !== null);
  const budget = errorBudget(slo);
  const events = input.weekCounts && input.weekCounts.total > 0 ? input.weekCounts : null;
  const weekErrorRatio = events ? Math.max(events.errors, 0) / events.total : null;
  const weekBurnRate = weekErrorRatio === null ? null : weekErrorRatio / budget;
  const attribution = attributeDeploys(span, input.deploys.filter((d) => d.finishedAt < end), week.deployWindow, start);
  const intervals = alertIntervals(input.transitions, start, end);
  return {
    slo: slo.name,
    service: slo.service,
    description: slo.description,
    objective: slo.objective,
    window: slo.window,
    sliWeek: weekErrorRatio === null ? null : 1 - weekErrorRatio,
    events,
    sliWindow: endEvaluation?.errorRatio == null ? null : 1 - endEvaluation.errorRatio,
    budgetStart,
    budgetEnd,
    budgetEndCoverage: last?.coverage ?? null,
    consumed: budgetStart !== null && budgetEnd !== null ? budgetStart - budgetEnd : null,
    weekBurnRate,
    alerts: intervals,
    alertSummary: summarizeAlerts(intervals, start, end, week.now),
    deploys: attribution.deploys.filter((d) => !d.beforeWeek || d.consumed !== 0),
    notAfterDeploy: attribution.notAfterDeploy,
    projection: project(budgetEnd, weekBurnRate, slo.window, end, input.windowCounts && weekErrorRatio !== null ? { ...input.windowCounts, budget, errorRatio: weekErrorRatio } : undefined),
    budgetSeries: thinPoints(points.filter((p) => p.t > end - slo.window && p.t <= end), chartPoints),
    burnSeries: thinPoints(
      input.evaluations.filter((e) => e.t >= start && e.t <= end).map((e) => ({ t: e.t, burnRate: e.burnRate })),
      chartPoints,
    ),
  };
}

/**
 * Whether the budget runs out within one SLO window if the week's error ratio continues. With the window's
 * events and what ages out of it (from the ledger), the rolling window is projected as it moves: old errors
 * leave as new ones arrive, so an SLO burning below 1× levels off instead of being flagged. Without them, the
 * engine's time-to-exhaustion model: remaining budget r lasts r × W / b at burn rate b.
 */
export function project(
  remaining: number | null,
  burnRate: number | null,
  window: number,
  end: number,
  rolling?: { errors: number; total: number; aging: readonly AgingSlice[]; budget: number; errorRatio: number },
): Projection {
  if (remaining === null || burnRate === null) return { status: 'unknown' };
  if (remaining <= 0) return { status: 'exhausted' };
  if (rolling) {
    const after = rollingExhaustion({ ...rolling, window });
    if (after === 0) return { status: 'exhausted' };
    return after === null ? { status: 'safe', at: null } : { status: 'exhausts', at: end + after };
  }
  if (burnRate <= 0) return { status: 'safe', at: null };
  const at = end + (remaining * window) / burnRate;
  return at - end <= window ? { status: 'exhausts', at } : { status: 'safe', at };
}

function worstFirst(a: SloWeek, b: SloWeek): number {
  const rank = (s: SloWeek) => s.budgetEnd ?? Number.POSITIVE_INFINITY;
  return rank(a) - rank(b) || (b.consumed ?? 0) - (a.consumed ?? 0) || a.slo.localeCompare(b.slo);
}
