import type { ConditionState } from './burn-rate.js';
import type { Severity } from './windows.js';

export interface ConditionTransition {
  slo: string;
  severity: Severity;
  state: 'firing' | 'resolved';
  at: number;
}

/**
 * Whether an alert condition is active after an evaluation. `unknown` keeps the previous answer:
 * a burn does not resolve because its data vanished, and no data starts none.
 */
export function nextActive(active: boolean, state: ConditionState): boolean {
  if (state === 'unknown') return active;
  return state === 'firing';
}

/** The transition, if any, when a condition moves from `active` to the state evaluated at `at`. */
export function conditionTransition(
  slo: string,
  severity: Severity,
  active: boolean,
  state: ConditionState,
  at: number,
): ConditionTransition | undefined {
  const next = nextActive(active, state);
  if (next === active) return undefined;
  return { slo, severity, state: next ? 'firing' : 'resolved', at };
}
