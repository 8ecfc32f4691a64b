import type { Severity } from '../slo/model.js';

/**
 * An alert as burnrate tracks it. Identity is the fingerprint of its labels (never of annotations):
 * `alertname`, `slo`, `service`, `severity` and the SLO's own labels.
 *
 * - `burn`: the SLO's page or ticket condition;
 * - `no_data`: the SLO's data has been missing, or its backend failing, for longer than configured;
 * - `deploy_regression`: the SLO got significantly and materially worse since its service's latest deploy.
 */
export type AlertKind = 'burn' | 'no_data' | 'deploy_regression';
export type AlertState = 'pending' | 'firing' | 'resolved';

export interface Alert {
  fingerprint: string;
  labels: Readonly<Record<string, string>>;
  kind: AlertKind;
  slo: string;
  severity: Severity;
  state: AlertState;
  /** When the condition began (the burn started, or data went missing). */
  activeAt: number;
  /** When it turned firing (after `for`). */
  firedAt: number | null;
  resolvedAt: number | null;
  /** Last time the evaluator looked at it. */
  updatedAt: number;
}

export const alertNames = { burn: 'SLOBurnRate', no_data: 'SLONoData', deploy_regression: 'DeployRegression' } as const satisfies Record<AlertKind, string>;
