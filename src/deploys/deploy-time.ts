import { parseDuration } from '../core/duration.js';
import { isSaneTime, parseTime } from '../core/time.js';

/** A time as written in a deploy, a query or a flag: RFC 3339 with offset, or unix seconds (strict, bounded: core/time). */
export function parseTimeText(text: string): number | undefined {
  return parseTime(text);
}

/** `--since` and `from`: a duration back from `now` (e.g. 24h), or a time; never before 1970. */
export function parseSince(text: string, now: number): number | undefined {
  const seconds = parseDuration(text);
  if (seconds === undefined) return parseTimeText(text);
  return isSaneTime(now - seconds) ? now - seconds : undefined;
}
