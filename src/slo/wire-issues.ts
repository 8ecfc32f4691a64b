import type * as z from 'zod';
import { error, type Finding } from './diagnostic.js';

/** Turns schema issues into findings: one per unknown field, pointing at its key. */
export function findingsFromIssues(issues: readonly z.core.$ZodIssue[]): Finding[] {
  const findings: Finding[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        findings.push(error([...issue.path, key], `unknown field "${key}": ${issue.message}`, 'key'));
      }
    } else {
      const at = issue.code === 'custom' && issue.params?.['at'] === 'key' ? 'key' : 'value';
      findings.push(error(issue.path, issue.message, at));
    }
  }
  return findings;
}
