/** The latest time accepted from users and shown in output: 9999-12-31T23:59:59Z (RFC 3339 has four-digit years). */
export const maxTime = 253_402_300_799;

/** Whether `seconds` is a unix time from 1970 to {@link maxTime}: what any input may carry and any output can show. */
export const isSaneTime = (seconds: number): boolean => Number.isFinite(seconds) && seconds >= 0 && seconds <= maxTime;

const rfc3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

const daysIn = (year: number, month: number): number =>
  month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;

/**
 * Parses an RFC 3339 time with its offset (`2026-11-22T09:00:00Z`, `…+01:00`, a space for the `T`), strictly:
 * a day the month does not have (`2026-02-30`), hour 24, minute 60 or a leap second are refused, never rolled
 * over. Returns unix seconds, or undefined when the text is not such a time or lies outside 1970…9999.
 */
export function parseRfc3339(text: string): number | undefined {
  const match = rfc3339.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) return undefined;
  let offset = 0;
  if (match[8] === undefined) {
    const offsetHours = Number(match[10]);
    const offsetMinutes = Number(match[11]);
    if (offsetHours > 23 || offsetMinutes > 59) return undefined;
    offset = (match[9] === '-' ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
  }
  const seconds = Date.UTC(year, month - 1, day, hour, minute, second) / 1000 + Number(match[7] ?? 0) - offset;
  return year >= 1900 && isSaneTime(seconds) ? seconds : undefined;
}

/** Parses a time given on the command line or in the API: RFC 3339 with offset, or unix seconds, within {@link isSaneTime}. */
export function parseTime(text: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(text)) {
    const seconds = Number(text);
    return isSaneTime(seconds) ? seconds : undefined;
  }
  return parseRfc3339(text);
}

/**
 * RFC 3339 in UTC, whole seconds: `2026-11-22T09:00:00Z`. Never throws: a time outside 1970…9999 (a row stored
 * before times were bounded) shows as the nearest of those ends, and a value that is no number as `invalid time`.
 */
export function formatTime(seconds: number): string {
  if (Number.isNaN(seconds)) return 'invalid time';
  const shown = Math.min(Math.max(Math.round(seconds), -62_135_596_800), maxTime);
  return new Date(shown * 1000).toISOString().replace('.000Z', 'Z');
}

/** The latest multiple of `step` at or before `seconds`. */
export function alignDown(seconds: number, step: number): number {
  return Math.floor(seconds / step) * step;
}
