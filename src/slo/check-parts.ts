import type * as z from 'zod';
import { durationSeconds } from '../spec/wire-values.js';
import { checkPairRules, checkRunbook, checkTierHasWindows, checkTierPresence, checkTracks, type DomainContext, type PlacedQuery } from './domain-rules.js';
import type { Finding } from '../spec/diagnostic.js';
import { severities, type Severity } from './model.js';
import { indicatorQuery, mapPairs } from './to-model.js';
import { windowRow, type WireWindow } from './wire-v1.js';

type Path = readonly PropertyKey[];

/**
 * The checks after the schema (PromQL templates, runbooks, tiers, window pairs), run on every field that passed
 * the schema even when others did not, so one run reports every problem of every stage. A field is usable when no
 * schema issue lies at it or inside it; an issue about a parent (a sibling missing, a rule across siblings) leaves
 * it usable.
 */
export function checkParts(value: unknown, issues: readonly z.core.$ZodIssue[], context: DomainContext): Finding[] {
  const usable = usableFields(value, issues);
  const findings: Finding[] = [];

  const queries: PlacedQuery[] = [];
  for (const key of ['errors', 'good', 'total'] as const) {
    const path = ['spec', 'indicator', 'ratio', key];
    const template = usable(path);
    if (typeof template === 'string' && indicatorQuery(template, path, findings)) queries.push({ path, template });
  }
  const canary = usable(['spec', 'tracks', 'canary']);
  const stable = usable(['spec', 'tracks', 'stable']);
  findings.push(...checkTracks({ ...(typeof canary === 'string' && { canary }), ...(typeof stable === 'string' && { stable }) }, queries));

  const alerting = valueAt(value, ['spec', 'alerting']);
  if (!isMapping(alerting)) return findings;
  const tiers: Partial<Record<Severity, true>> = {};
  for (const severity of severities) {
    if (alerting[severity] === undefined) continue;
    tiers[severity] = true;
    const runbook = usable(['spec', 'alerting', severity, 'runbook']);
    if (typeof runbook === 'string') findings.push(...checkRunbook(severity, runbook, context));
  }
  findings.push(...checkTierPresence(tiers));

  const rows = alerting['windows'];
  if (rows !== undefined && !Array.isArray(rows)) return findings;
  const custom = rows?.map((row): WireWindow | undefined => windowRow.safeParse(row).data);
  const window = usable(['spec', 'window']);
  const objective = usable(['spec', 'objective']);
  const sloWindow = typeof window === 'string' ? durationSeconds(window) : undefined;
  const { pairs, origins } = mapPairs(custom, tiers, sloWindow ?? 1, findings);
  // A list with a schema issue at or under it may have held the window a tier lacks: say nothing of it.
  if (rows === undefined || usable(['spec', 'alerting', 'windows']) !== undefined) {
    for (const severity of severities) if (tiers[severity]) findings.push(...checkTierHasWindows(severity, pairs));
  }
  findings.push(...checkPairRules(pairs, origins, { objective: typeof objective === 'number' ? objective : undefined, window: sloWindow }));
  return findings;
}

/** The raw value at a path when no schema issue lies at or under it; undefined otherwise. */
export function usableFields(value: unknown, issues: readonly z.core.$ZodIssue[]): (path: Path) => unknown {
  const tainted: Path[] = issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys' ? issue.keys.map((key) => [...issue.path, key]) : [issue.path],
  );
  return (path) => (tainted.some((bad) => startsWith(bad, path)) ? undefined : valueAt(value, path));
}

function startsWith(path: Path, prefix: Path): boolean {
  return prefix.length <= path.length && prefix.every((part, index) => String(part) === String(path[index]));
}

function valueAt(value: unknown, path: Path): unknown {
  let current = value;
  for (const part of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
