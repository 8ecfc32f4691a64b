import { parseDuration } from '../core/duration.js';

// Stricter than core/time's parseTime: an offset is required, so a time never silently means local time.
const rfc3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** A time as written in a deploy, a query or a flag: RFC 3339 with offset, or unix seconds. */
export function parseTimeText(text: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  if (!rfc3339.test(text)) return undefined;
  const millis = Date.parse(text.replace(' ', 'T'));
  return Number.isNaN(millis) ? undefined : millis / 1000;
}

/** `--since` and `from`: a duration back from `now` (e.g. 24h), or a time. */
export function parseSince(text: string, now: number): number | undefined {
  const seconds = parseDuration(text);
  return seconds === undefined ? parseTimeText(text) : now - seconds;
}
