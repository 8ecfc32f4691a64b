/** The SLO model the engine works on: validated, units resolved, windows derived. */

import type { Severity, WindowPair } from '../core/windows.js';
import type { ValueUnit } from '../promql/analyze-template.js';

// The burn-rate primitives belong to the pure core; the model is built of them.
export { severities, type Severity, type WindowPair } from '../core/windows.js';
export { errorBudget } from '../core/burn-rate.js';

/** A PromQL template with `{{window}}` where the range goes, e.g. `sum(rate(x[{{window}}]))`. */
export interface IndicatorQuery {
  template: string;
  unit: ValueUnit;
}

export interface Indicator {
  /** `errors` when the file gave bad events, `good` when it gave good ones (errors = total − good). */
  numeratorKind: 'errors' | 'good';
  numerator: IndicatorQuery;
  total: IndicatorQuery;
}

export interface AlertTier {
  runbook: string;
  /** Seconds the condition must hold before the alert fires (0 = at once). */
  for: number;
}

export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/**
 * The label selectors of a canary's two populations, each in braces (`{track="canary"}`, `{track="stable"}`):
 * added to every selector of the SLI queries, they give each track's events.
 */
export interface Tracks {
  canary: string;
  stable: string;
}

export interface Slo {
  name: string;
  service: string;
  labels: Readonly<Record<string, string>>;
  description: string;
  /** Percent, 0 < objective < 100. */
  objective: number;
  /** Rolling compliance window, seconds. */
  window: number;
  indicator: Indicator;
  alerting: {
    /** A window with fewer total events than this cannot trigger an alert. */
    minEvents: number;
    tiers: Partial<Record<Severity, AlertTier>>;
    /** AND inside a pair, OR across the pairs of one severity. */
    pairs: readonly WindowPair[];
  };
  /** For `verify --canary`: how the canary's series and the stable ones differ. */
  tracks?: Tracks;
  source: SourceLocation;
}
