import type { DeployEvent } from '../deploys/deploy.js';
import type { Severity } from '../slo/model.js';

/** The weekly error-budget report of one team, as computed: every figure a template or chart shows. */

/** Budget fractions are of the SLO window's budget (1 = all of it); times are unix seconds. */
export interface BudgetPoint {
  t: number;
  remaining: number;
  /** Fraction of the SLO window the budget was computed over. */
  coverage: number;
}

export interface BurnPoint {
  t: number;
  /** Burn rate over the hour ending at t; null without data. */
  burnRate: number | null;
}

/** One burn alert's firing interval (after `for`) that overlaps the week. */
export interface AlertInterval {
  severity: Severity;
  /** null when it was already firing before the transitions read. */
  firedAt: number | null;
  /** null while still firing. */
  resolvedAt: number | null;
  /** resolvedAt − firedAt: how long it took to resolve; null while firing or when the start is unknown. */
  timeToResolve: number | null;
  /** Fired inside the week (not carried over from the week before). */
  firedThisWeek: boolean;
}

export interface AlertSummary {
  /** Conditions that started firing this week. */
  fired: number;
  page: number;
  ticket: number;
  /** Time firing inside the week, summed over intervals. */
  firingSeconds: number;
  /** Of the intervals that resolved. */
  meanTimeToResolve: number | null;
  longestTimeToResolve: number | null;
  /** Still firing at the end of the week. */
  openAtEnd: number;
}

export type ReportDeploy = Pick<DeployEvent, 'id' | 'service' | 'environment' | 'version' | 'commit' | 'author' | 'finishedAt' | 'summary' | 'url'>;

export interface DeployCost {
  deploy: ReportDeploy;
  /** Change in budget remaining over the evaluation steps ending in (finishedAt, finishedAt + deploy window]; negative when budget came back. */
  consumed: number;
  /** The deploy landed in the week before; its window reaches into this one. */
  beforeWeek: boolean;
}

export type Projection =
  | { status: 'exhausted' }
  | { status: 'exhausts'; at: number }
  | { status: 'safe'; at: number | null }
  | { status: 'unknown' };

export interface SloWeek {
  slo: string;
  service: string;
  description: string;
  objective: number;
  window: number;
  /** 1 − errors/total over the week (event-weighted, from the bucket ledger). */
  sliWeek: number | null;
  events: { errors: number; total: number } | null;
  /** 1 − the error ratio of the SLO window ending with the week (the week's last stored evaluation). */
  sliWindow: number | null;
  budgetStart: number | null;
  budgetEnd: number | null;
  /** Fraction of the SLO window the end-of-week budget covers (below 1 while history is shorter than the window). */
  budgetEndCoverage: number | null;
  /** budgetStart − budgetEnd. */
  consumed: number | null;
  /** Error ratio of the week / (1 − objective). */
  weekBurnRate: number | null;
  alerts: AlertInterval[];
  alertSummary: AlertSummary;
  /** Most budget first. Their sum plus notAfterDeploy equals consumed. */
  deploys: DeployCost[];
  notAfterDeploy: number;
  projection: Projection;
  /** Budget remaining over the SLO window ending with the week (chart). */
  budgetSeries: BudgetPoint[];
  /** Burn rate over the week (chart). */
  burnSeries: BurnPoint[];
}

export interface WeeklyReport {
  team: string;
  /** `2026-W47`. */
  week: string;
  timeZone: string;
  start: number;
  end: number;
  generatedAt: number;
  deployWindow: number;
  /** Worst first: least budget remaining at the end of the week. */
  slos: SloWeek[];
}
