/** When the deployment gate says no. Durations in seconds, budget thresholds in percent of the window's budget. */
export interface GatePolicy {
  /** Deny when less than this percent of the window's error budget is left. */
  minBudgetRemaining: number;
  /** Deny while the SLO's page alert fires. */
  denyWhenPaging: boolean;
  /** Deny when the burn rate over `window` exceeds `value`. */
  maxBurnRate: { window: number; value: number } | null;
  /** A latest evaluation older than this cannot support a decision. */
  maxEvaluationAge: number;
}

/** The `gate:` section of burnrate.yaml: defaults for every SLO, and per-SLO replacements of single fields. */
export interface GateConfig {
  policy: GatePolicy;
  slos: Readonly<Record<string, Partial<GatePolicy>>>;
}

export const defaultGatePolicy: GatePolicy = {
  minBudgetRemaining: 0,
  denyWhenPaging: true,
  maxBurnRate: null,
  maxEvaluationAge: 300,
};

export const defaultGateConfig: GateConfig = { policy: defaultGatePolicy, slos: {} };

/** The policy one SLO is judged by: the defaults with the SLO's own fields on top. */
export function policyFor(config: GateConfig, slo: string): GatePolicy {
  const own = Object.hasOwn(config.slos, slo) ? config.slos[slo] : undefined;
  return own === undefined ? config.policy : { ...config.policy, ...own };
}

/** The gate settings of a loaded config; the defaults when the config carries none. */
export function gateConfigOf(config: object): GateConfig {
  const gate = (config as { gate?: GateConfig }).gate;
  return gate ?? defaultGateConfig;
}
