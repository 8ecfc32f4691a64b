import { coverageText } from '../core/budget-coverage.js';
import type { Alert } from '../alerting/alert.js';
import { formatDuration, humanizeSeconds } from '../core/duration.js';
import { formatTime } from '../core/time.js';
import { currentBurnWindow } from '../engine/slo-windows.js';
import type { Slo } from '../slo/model.js';
import type { StoredEvaluation } from '../engine/evaluation-store.js';
import type { DeployCost } from '../engine/deploy-costs.js';
import type { GateAnswer, GateOverrideView, GatePolicyView, GateRequest, GateSloResult, GateVerdict, LastDeployCost } from './gate-answer.js';
import { overrideActive, type GateOverride } from './gate-override.js';
import { policyFor, type GateConfig, type GatePolicy } from './gate-policy.js';

export interface GateSloInput {
  slo: Pick<Slo, 'name' | 'service' | 'window'>;
  latest: Pick<StoredEvaluation, 't' | 'status' | 'error' | 'budgetRemaining' | 'coverage' | 'burnRate' | 'detail'> | undefined;
  alerts: ReadonlyArray<Pick<Alert, 'kind' | 'severity' | 'state' | 'firedAt' | 'activeAt'>>;
  /** The budget the service's latest deploy has cost this SLO, when one landed within the SLO window. */
  lastDeploy?: DeployCost | undefined;
}

export interface GateInputs {
  request: GateRequest;
  slos: readonly GateSloInput[];
  /** Overrides on record; only those active at `now` and matching an SLO are used. */
  overrides: readonly GateOverride[];
}

const round = (value: number | null, digits = 3): number | null => (value === null ? null : Number(value.toFixed(digits)));

/** `4.2`, `10`, `-12.5`: one decimal, none when whole; more when one decimal would read as `limit`. */
function short(value: number, limit?: number): string {
  for (let digits = 1; digits < 4; digits += 1) {
    const shown = Number(value.toFixed(digits));
    if (shown !== limit) return String(shown);
  }
  return String(Number(value.toFixed(4)));
}
const percent = (value: number, limit?: number): string => short(value, limit);
const times = (value: number, limit?: number): string => `${short(value, limit)}×`;

function lastDeployView(cost: DeployCost | undefined): LastDeployCost | null {
  if (cost === undefined) return null;
  const { deploy } = cost;
  return {
    id: deploy.id,
    version: deploy.version,
    commit: deploy.commit,
    author: deploy.author,
    finishedAt: formatTime(deploy.finishedAt),
    errors: round(cost.errors, 1)!,
    total: round(cost.total, 1)!,
    budgetSpentPercent: round(cost.budgetSpentPercent),
    exact: cost.exact,
  };
}

function policyView(policy: GatePolicy): GatePolicyView {
  return {
    minBudgetRemaining: policy.minBudgetRemaining,
    denyWhenPaging: policy.denyWhenPaging,
    maxBurnRate: policy.maxBurnRate && { window: formatDuration(policy.maxBurnRate.window), value: policy.maxBurnRate.value },
    maxEvaluationAge: formatDuration(policy.maxEvaluationAge),
  };
}

export function overrideView(override: GateOverride): GateOverrideView {
  return { ...override, createdAt: formatTime(override.createdAt), expiresAt: formatTime(override.expiresAt) };
}

/** Burn rate per window of the latest evaluation; the 1h burn of the budget figures when 1h is no alert window. */
function burnRates(latest: GateSloInput['latest']): Map<number, number | null> {
  const rates = new Map<number, number | null>();
  if (!latest) return rates;
  for (const window of latest.detail.windows) rates.set(window.window, window.burnRate);
  if (!rates.has(currentBurnWindow)) rates.set(currentBurnWindow, latest.burnRate);
  return new Map([...rates].sort(([a], [b]) => a - b));
}

const overrideMatches = (override: GateOverride, slo: GateSloInput['slo']): boolean =>
  override.slo !== null ? override.slo === slo.name : override.service === slo.service;

/** One SLO against its policy: deny reasons, then what keeps the gate from deciding. */
function judgeSlo(input: GateSloInput, policy: GatePolicy, overrides: readonly GateOverride[], now: number): GateSloResult {
  const { latest } = input;
  const deny: string[] = [];
  const unknown: string[] = [];
  const rates = burnRates(latest);
  const paging = input.alerts.find((alert) => alert.kind === 'burn' && alert.severity === 'page' && alert.state === 'firing');
  const pageSince = paging ? (paging.firedAt ?? paging.activeAt) : null;
  // An open page stands even when the latest data is missing: a firing alert never resolves for lack of data.
  if (policy.denyWhenPaging && pageSince !== null) deny.push(`page alert firing since ${formatTime(pageSince)}`);

  if (!latest) {
    unknown.push('no stored evaluation: the daemon has not evaluated this SLO yet');
  } else if (now - latest.t > policy.maxEvaluationAge) {
    unknown.push(`latest evaluation is ${humanizeSeconds(now - latest.t)} old (${formatTime(latest.t)}), older than the ${formatDuration(policy.maxEvaluationAge)} limit`);
  } else if (latest.status === 'backend_error') {
    unknown.push(`backend error at ${formatTime(latest.t)}${latest.error ? `: ${latest.error}` : ''}`);
  } else if (latest.status === 'insufficient_data' || latest.budgetRemaining === null) {
    unknown.push('insufficient data: no events in the SLO window');
  } else {
    const left = latest.budgetRemaining * 100;
    const over = coverageText(latest.coverage, input.slo.window);
    if (left < policy.minBudgetRemaining) {
      deny.push(`budget ${percent(left, policy.minBudgetRemaining)}% left${over && ` ${over}`}, below the ${percent(policy.minBudgetRemaining)}% minimum`);
    }
    if (policy.maxBurnRate) {
      const { window, value } = policy.maxBurnRate;
      const rate = rates.get(window);
      if (rate === undefined) {
        unknown.push(`no ${formatDuration(window)} burn rate: the SLO's windows are ${[...rates.keys()].map(formatDuration).join(', ')}`);
      } else if (rate === null) {
        unknown.push(`no ${formatDuration(window)} burn rate: no events in the last ${formatDuration(window)}`);
      } else if (rate > value) {
        deny.push(`${formatDuration(window)} burn rate ${times(rate, value)} above ${times(value)}`);
      }
    }
  }

  let verdict: GateVerdict = deny.length > 0 ? 'deny' : unknown.length > 0 ? 'unknown' : 'allow';
  const override = verdict === 'deny' ? overrides.find((o) => overrideActive(o, now) && overrideMatches(o, input.slo)) : undefined;
  if (override) verdict = 'allow';
  return {
    slo: input.slo.name,
    service: input.slo.service,
    verdict,
    overridden: override !== undefined,
    reasons: override ? [...deny, `overridden by ${override.author}${override.actor !== null && override.actor !== override.author ? ` (recorded by ${override.actor})` : ''} until ${formatTime(override.expiresAt)}: ${override.reason}`, ...unknown] : [...deny, ...unknown],
    status: latest?.status ?? 'missing',
    evaluatedAt: latest ? formatTime(latest.t) : null,
    budgetRemainingPercent: latest?.budgetRemaining === null || latest === undefined ? null : round(latest.budgetRemaining * 100),
    budgetCoverage: latest?.budgetRemaining === null || latest === undefined ? null : round(latest.coverage),
    budgetCovers: latest?.budgetRemaining === null || latest === undefined ? null : coverageText(latest.coverage, input.slo.window) || null,
    burnRates: Object.fromEntries([...rates].map(([window, rate]) => [formatDuration(window), round(rate)])),
    pageFiringSince: pageSince === null ? null : formatTime(pageSince),
    lastDeploy: lastDeployView(input.lastDeploy),
    policy: policyView(policy),
    overrideId: override?.id ?? null,
  };
}

/**
 * Pure: may the SLOs asked for take a deploy at `now`? Any deny (not overridden) denies, even beside an SLO that
 * cannot be judged; otherwise any SLO that cannot be judged (no, stale or failed evaluation) makes it `unknown`.
 */
export function decideGate(inputs: GateInputs, config: GateConfig, now: number): GateAnswer {
  // Newest first, so the override reported is the most recent one that applies.
  const overrides = [...inputs.overrides].sort((a, b) => b.createdAt - a.createdAt || a.id.localeCompare(b.id));
  const slos = inputs.slos.map((input) => judgeSlo(input, policyFor(config, input.slo.name), overrides, now));
  let verdict: GateVerdict = 'allow';
  if (slos.some((s) => s.verdict === 'deny')) verdict = 'deny';
  else if (slos.some((s) => s.verdict === 'unknown')) verdict = 'unknown';
  const usedIds = new Set(slos.flatMap((s) => (s.overrideId === null ? [] : [s.overrideId])));
  const used = overrides.find((o) => usedIds.has(o.id));
  return {
    verdict,
    overridden: used !== undefined,
    at: formatTime(now),
    request: { service: inputs.request.service ?? null, slos: inputs.request.slos ? [...inputs.request.slos] : [] },
    reasons: slos.flatMap((s) => s.reasons.map((reason) => `${s.slo}: ${reason}`)),
    override: used ? overrideView(used) : null,
    slos,
  };
}

/** The answer when the stores cannot be read at all: every SLO asked for is `unknown` for `reason`. */
export function unavailableGate(request: GateRequest, slos: ReadonlyArray<Pick<Slo, 'name' | 'service' | 'window'>>, reason: string, config: GateConfig, now: number): GateAnswer {
  return {
    verdict: 'unknown',
    overridden: false,
    at: formatTime(now),
    request: { service: request.service ?? null, slos: request.slos ? [...request.slos] : [] },
    reasons: slos.map((slo) => `${slo.name}: ${reason}`),
    override: null,
    slos: slos.map((slo) => ({
      slo: slo.name,
      service: slo.service,
      verdict: 'unknown',
      overridden: false,
      reasons: [reason],
      status: 'missing',
      evaluatedAt: null,
      budgetRemainingPercent: null,
      budgetCoverage: null,
      budgetCovers: null,
      burnRates: {},
      pageFiringSince: null,
      lastDeploy: null,
      policy: policyView(policyFor(config, slo.name)),
      overrideId: null,
    })),
  };
}
