import { formatDuration } from '../core/duration.js';
import { canEverFire } from '../core/windows.js';
import { compileMatcher, type LabelMatcher } from '../labels/matchers.js';
import { parseLabelSelector, type SelectorMatcher } from '../promql/label-selector.js';
import { querySelectors } from '../promql/query-selectors.js';
import { error, formatPath, warning, type Finding } from '../spec/diagnostic.js';
import type { Severity, Slo, Tracks, WindowPair } from './model.js';
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

/** An SLI query template and the field it is in. */
export interface PlacedQuery {
  path: readonly PropertyKey[];
  template: string;
}

/**
 * Rules on `spec.tracks`: each a label selector in braces (parseLabelSelector), the two different, and neither on a
 * label the SLI queries already match: the track's matchers are added beside the query's own, so a query with
 * `track!="canary"` given `track="canary"` would select nothing. A track left out (it failed the schema) is skipped.
 */
export function checkTracks(tracks: Partial<Tracks>, queries: readonly PlacedQuery[]): Finding[] {
  const findings: Finding[] = [];
  const read: Partial<Record<keyof Tracks, SelectorMatcher[]>> = {};
  for (const track of ['canary', 'stable'] as const) {
    const selector = tracks[track];
    if (selector === undefined) continue;
    const path = ['spec', 'tracks', track];
    const parsed = parseLabelSelector(selector);
    if (!parsed.ok) {
      findings.push({ ...error(path, parsed.problem.message), offsetInValue: parsed.problem.offset });
      continue;
    }
    read[track] = parsed.matchers;
    findings.push(...checkTrackLabels(path, parsed.matchers, queries));
  }
  if (read.canary && read.stable && sameMatchers(read.canary, read.stable)) {
    findings.push(error(['spec', 'tracks', 'stable'], `expected a selector other than the canary's, got the same matchers as spec.tracks.canary (${tracks.canary}): the canary would be compared with itself`));
  }
  return findings;
}

function checkTrackLabels(path: readonly PropertyKey[], matchers: readonly SelectorMatcher[], queries: readonly PlacedQuery[]): Finding[] {
  const track = String(path[path.length - 1]);
  const findings: Finding[] = [];
  for (const added of matchers) {
    for (const query of queries) {
      const own = querySelectors(query.template)?.flatMap((s) => s.matchers).find((m) => m.name === added.name);
      if (own === undefined) continue;
      const outcome = own.value !== undefined && selectsNothing({ ...own, value: own.value }, added)
        ? `the ${track} queries select nothing`
        : `the two matchers on one label decide together which series the ${track} track has`;
      findings.push(error(path, `the SLI queries already match on "${added.name}" (${formatPath(query.path)} has ${own.text}): with ${added.text} added beside it, ${outcome}; match "${added.name}" in spec.tracks only`));
      break;
    }
  }
  return findings;
}

/** Whether two matchers on one label exclude each other for certain: one asks for a value the other refuses. */
function selectsNothing(a: LabelMatcher, b: LabelMatcher): boolean {
  if (a.type === '=' && !compileMatcher(b).matches(a.value)) return true;
  return b.type === '=' && !compileMatcher(a).matches(b.value);
}

const sameMatchers = (a: readonly SelectorMatcher[], b: readonly SelectorMatcher[]): boolean => {
  const key = (list: readonly SelectorMatcher[]) => [...new Set(list.map((m) => JSON.stringify([m.name, m.type, m.value])))].sort().join('\n');
  return key(a) === key(b);
};

function formatWindow(seconds: number): string {
  return Number.isInteger(seconds) ? formatDuration(seconds) : `${round(seconds)}s`;
}

function round(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}
