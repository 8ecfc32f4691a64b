import { formatDuration } from '../core/duration.js';
import { canEverFire } from '../core/windows.js';
import { error, warning, type Finding } from '../spec/diagnostic.js';
import type { Severity, Slo, WindowPair } from './model.js';
import type { PairOrigin } from './to-model.js';
import { alertWindowBounds } from './wire-v1.js';

export interface DomainContext {
  /**
   * Why a runbook path (relative to the runbook directory) cannot be sent, as the end of "runbook "x.md" …",
   * or undefined when it names a readable file inside the directory. `bad-path`: absolute or with `..`.
   */
  runbookProblem: (relativePath: string) => { kind: string; reason: string } | undefined;
}

/** Cross-field rules on a mapped SLO: tiers, window pairs, runbooks. */
export function checkDomainRules(slo: Slo, origins: readonly PairOrigin[], context: DomainContext): Finding[] {
  const { tiers, pairs } = slo.alerting;
  const findings = checkTierPresence(tiers);
  for (const severity of ['page', 'ticket'] as const) {
    const tier = tiers[severity];
    if (tier === undefined) continue;
    findings.push(...checkRunbook(severity, tier.runbook, context));
    findings.push(...checkTierHasWindows(severity, pairs));
  }
  findings.push(...checkPairRules(pairs, origins, { objective: slo.objective, window: slo.window }));
  return findings;
}

/** A tier must exist: without one nothing would alert. */
export function checkTierPresence(tiers: Partial<Record<Severity, unknown>>): Finding[] {
  if (tiers.page !== undefined || tiers.ticket !== undefined) return [];
  return [error(['spec', 'alerting'], 'expected a page or a ticket tier (or both): without one nothing would alert')];
}

export function checkRunbook(severity: Severity, runbook: string, context: DomainContext): Finding[] {
  const path = ['spec', 'alerting', severity, 'runbook'];
  const problem = context.runbookProblem(runbook);
  if (problem?.kind === 'bad-path') return [error(path, `expected a path inside the runbook directory, got "${runbook}"`)];
  if (problem !== undefined) return [error(path, `runbook "${runbook}" ${problem.reason}`)];
  return [];
}

export function checkTierHasWindows(severity: Severity, pairs: readonly WindowPair[]): Finding[] {
  if (pairs.some((pair) => pair.severity === severity)) return [];
  return [error(['spec', 'alerting', 'windows'], `expected at least one ${severity} window: the ${severity} tier has none, so it would never alert`)];
}

/**
 * Rules on the window pairs. Without a valid objective or SLO window (a file whose schema check failed there),
 * the rules that need them are skipped; the pairs' factors are then meaningless and unread.
 */
export function checkPairRules(
  pairs: readonly WindowPair[],
  origins: readonly PairOrigin[],
  slo: { objective: number | undefined; window: number | undefined },
): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  pairs.forEach((pair, index) => {
    const origin = origins[index];
    if (origin === undefined) return;
    const name = `${pair.severity} pair ${formatDuration(pair.long)}/${formatWindow(pair.short)}`;
    const key = `${pair.severity}/${pair.long}/${pair.short}`;
    if (seen.has(key)) findings.push(error(origin.path, `duplicate window: the ${name} is listed twice`));
    seen.add(key);

    if (!origin.shortGiven && (!Number.isInteger(pair.short) || pair.short < alertWindowBounds.min)) {
      const why = Number.isInteger(pair.short) ? `below the ${formatDuration(alertWindowBounds.min)} minimum` : 'not a whole number of seconds';
      findings.push(error([...origin.path, 'long'], `the short window defaults to long/12 = ${formatWindow(pair.short)}, ${why}: set short explicitly`));
      return;
    }
    if (pair.short >= pair.long) {
      findings.push(error([...origin.path, 'short'], `expected a short window shorter than the long window ${formatDuration(pair.long)}, got ${formatDuration(pair.short)}`));
      return;
    }
    if (slo.window === undefined) return;
    if (slo.objective !== undefined && !canEverFire(pair, slo.objective)) {
      const maxBurn = 1 / (1 - slo.objective / 100);
      findings.push(
        warning(
          origin.path,
          `the ${name} needs a burn rate of ${round(pair.factor)}×, but with a ${slo.objective}% objective the highest possible burn rate is ${round(maxBurn)}× (every event failing): this pair can never fire`,
        ),
      );
    }
    if (pair.long > slo.window) {
      findings.push(
        warning(
          origin.path,
          `the ${name} has a long window longer than the SLO window ${formatDuration(slo.window)}: it looks at events outside the compliance window`,
        ),
      );
    }
  });
  return findings;
}

function formatWindow(seconds: number): string {
  return Number.isInteger(seconds) ? formatDuration(seconds) : `${round(seconds)}s`;
}

function round(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}
