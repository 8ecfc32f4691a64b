import { parseDuration } from '../core/duration.js';
import { isSaneTime, parseTime } from '../core/time.js';

export const cliTimeHelp = 'RFC 3339, unix seconds, now, or now-<duration> (now-7d)';

/** A time on the command line: RFC 3339, unix seconds, `now`, or `now-<duration>` such as `now-7d`, at `now` seconds. */
export function parseCliTime(text: string, now: number): number | undefined {
  const relative = /^now(?:-(.+))?$/.exec(text.trim());
  if (relative === null) return parseTime(text);
  if (relative[1] === undefined) return now;
  const back = parseDuration(relative[1]);
  if (back === undefined) return undefined;
  return isSaneTime(now - back) ? now - back : undefined;
}
