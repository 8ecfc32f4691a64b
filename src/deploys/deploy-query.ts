import { dnsLabelPattern } from '../spec/wire-values.js';
import type { FieldIssue } from './deploy-input.js';
import { parseSince, parseTimeText } from './deploy-time.js';
import { maxListLimit, type DeployFilter } from './deploy-store.js';

export type DeployQueryResult = { ok: true; filter: DeployFilter } | { ok: false; issues: FieldIssue[] };

const timeText = 'an RFC 3339 time with offset or unix seconds';
const sinceText = 'a duration back from now (e.g. 24h, 7d), an RFC 3339 time with offset or unix seconds';

const allowed = ['service', 'from', 'to', 'limit'] as const;

/** The list filter from `?service=&from=&to=&limit=`; every problem named by parameter. */
export function parseDeployQuery(query: Readonly<Record<string, unknown>>, now: number): DeployQueryResult {
  const issues: FieldIssue[] = [];
  const filter: DeployFilter = {};
  for (const [key, raw] of Object.entries(query)) {
    if (!(allowed as readonly string[]).includes(key)) {
      issues.push({ path: key, message: `unknown parameter "${key}": allowed parameters: ${allowed.join(', ')}` });
      continue;
    }
    if (typeof raw !== 'string') {
      issues.push({ path: key, message: `expected one value, got ${Array.isArray(raw) ? raw.length : 'none'}` });
      continue;
    }
    if (key === 'service') {
      if (dnsLabelPattern.test(raw) && raw.length <= 63) filter.service = raw;
      else issues.push({ path: key, message: `expected a service name (lowercase a-z, 0-9 and "-"), got "${raw}"` });
    } else if (key === 'from') {
      const from = parseSince(raw, now);
      if (from === undefined) issues.push({ path: key, message: `expected ${sinceText}, got "${raw}"` });
      else filter.from = from;
    } else if (key === 'to') {
      const to = parseTimeText(raw);
      if (to === undefined) issues.push({ path: key, message: `expected ${timeText}, got "${raw}"` });
      else filter.to = to;
    } else {
      const limit = /^\d+$/.test(raw) ? Number(raw) : NaN;
      if (limit >= 1 && limit <= maxListLimit) filter.limit = limit;
      else issues.push({ path: key, message: `expected a whole number from 1 to ${maxListLimit}, got "${raw}"` });
    }
  }
  if (filter.from !== undefined && filter.to !== undefined && filter.from > filter.to) {
    issues.push({ path: 'from', message: 'expected from at or before to' });
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, filter };
}
