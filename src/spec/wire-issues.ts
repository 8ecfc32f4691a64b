import type * as z from 'zod';
import { error, type Finding } from './diagnostic.js';

const allowedPrefix = 'allowed fields: ';

/** Turns schema issues into findings: one per unknown field, pointing at its key, with a likely intended name. */
export function findingsFromIssues(issues: readonly z.core.$ZodIssue[]): Finding[] {
  const findings: Finding[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const allowed = issue.message.startsWith(allowedPrefix) ? issue.message.slice(allowedPrefix.length).split(', ') : [];
      for (const key of issue.keys) {
        const guess = closest(key, allowed);
        const hint = guess === undefined ? '' : ` (did you mean "${guess}"?)`;
        findings.push(error([...issue.path, key], `unknown field "${key}"${hint}: ${issue.message}`, 'key'));
      }
    } else {
      const at = issue.code === 'custom' && issue.params?.['at'] === 'key' ? 'key' : 'value';
      findings.push(error(issue.path, issue.message, at));
    }
  }
  return findings;
}

/** The allowed name within two edits of `key` (case-insensitive), if exactly one is closest. */
function closest(key: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const name of allowed) {
    const distance = editDistance(key.toLowerCase(), name.toLowerCase());
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
