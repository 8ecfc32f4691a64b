import type { SloStatus } from '../engine/slo-evaluation.js';

export const gateVerdicts = ['allow', 'deny', 'unknown'] as const;
export type GateVerdict = (typeof gateVerdicts)[number];

/** What was asked: every SLO of a service, or SLOs by name. */
export type GateRequest = { service: string; slos?: undefined } | { service?: undefined; slos: readonly string[] };

export interface GatePolicyView {
  minBudgetRemaining: number;
  denyWhenPaging: boolean;
  maxBurnRate: { window: string; value: number } | null;
  maxEvaluationAge: string;
}

export interface GateOverrideView {
  id: string;
  service: string | null;
  slo: string | null;
  reason: string;
  author: string;
  createdAt: string;
  expiresAt: string;
}

/** The service's latest deploy and the budget it has cost the SLO since it landed (or since the SLO window began). */
export interface LastDeployCost {
  id: string;
  version: string | null;
  commit: string | null;
  author: string | null;
  finishedAt: string;
  /** Errors and events counted since it landed (the ledger's settled buckets). */
  errors: number;
  total: number;
  /** Percent of the SLO window's error budget those errors spent; null without events in the window. */
  budgetSpentPercent: number | null;
  /** False when the ledger around its landing was already thinned to hourly rows: the split there is interpolated. */
  exact: boolean;
}

/** One SLO's part of the answer. Budget in percent of the window's budget; burn rates keyed by window (`5m`, `1h`). */
export interface GateSloResult {
  slo: string;
  service: string;
  verdict: GateVerdict;
  overridden: boolean;
  reasons: string[];
  status: SloStatus | 'missing';
  evaluatedAt: string | null;
  budgetRemainingPercent: number | null;
  /** Fraction of the SLO window the budget covers: below 1 while the history is shorter than the window. */
  budgetCoverage: number | null;
  /** The same in words (`over 2h 10m of 30d`), null when the budget covers the whole window. */
  budgetCovers: string | null;
  burnRates: Record<string, number | null>;
  pageFiringSince: string | null;
  lastDeploy: LastDeployCost | null;
  policy: GatePolicyView;
  overrideId: string | null;
}

/** The gate's answer, identical for the CLI's `--format json` and `GET /api/v1/gate`. */
export interface GateAnswer {
  verdict: GateVerdict;
  /** A deny turned into allow by an override; the reasons are kept. */
  overridden: boolean;
  at: string;
  request: { service: string | null; slos: string[] };
  /** Every SLO's reasons, prefixed with the SLO's name. */
  reasons: string[];
  /** The override that allowed the deploy (the newest, when several did). */
  override: GateOverrideView | null;
  slos: GateSloResult[];
}
