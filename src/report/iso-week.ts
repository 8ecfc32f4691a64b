/** ISO 8601 weeks (Monday to Monday) in a named time zone. Times are unix seconds. */

export interface IsoWeek {
  year: number;
  week: number;
}

export interface WeekBounds {
  week: IsoWeek;
  timeZone: string;
  /** Monday 00:00 local time, inclusive. */
  start: number;
  /** The next Monday 00:00 local time, exclusive. */
  end: number;
}

const day = 86_400;

/** `2026-W47` → { year: 2026, week: 47 }; undefined when malformed or past the year's last week. */
export function parseIsoWeek(text: string): IsoWeek | undefined {
  const match = /^(\d{4})-W(\d{2})$/.exec(text.trim());
  if (!match) return undefined;
  const year = Number(match[1]);
  const week = Number(match[2]);
  if (week < 1 || week > weeksInYear(year)) return undefined;
  return { year, week };
}

export function formatIsoWeek({ year, week }: IsoWeek): string {
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Days since the epoch of the Monday of week 1 (the week holding 4 January). */
function firstMonday(year: number): number {
  const jan4 = Date.UTC(year, 0, 4) / 1000 / day;
  const weekday = (new Date(jan4 * day * 1000).getUTCDay() + 6) % 7;
  return jan4 - weekday;
}

export function weeksInYear(year: number): number {
  return (firstMonday(year + 1) - firstMonday(year)) / 7;
}

/** The ISO week holding a calendar date (UTC day number since the epoch). */
function weekOfDay(dayNumber: number): IsoWeek {
  const year = new Date(dayNumber * day * 1000).getUTCFullYear();
  for (const candidate of [year + 1, year, year - 1]) {
    const monday = firstMonday(candidate);
    if (dayNumber >= monday) return { year: candidate, week: Math.floor((dayNumber - monday) / 7) + 1 };
  }
  throw new Error(`no ISO week for day ${dayNumber}`);
}

/** Throws a RangeError naming the zone when the runtime does not know it. */
export function checkTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new RangeError(`unknown time zone "${timeZone}": expected an IANA name such as Europe/Berlin or UTC`);
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    checkTimeZone(timeZone);
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Wall-clock fields of an instant in a zone. */
export function localParts(t: number, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(new Date(t * 1000)).map((p) => [p.type, p.value]));
  const n = (key: string) => Number(parts[key]);
  return { year: n('year'), month: n('month'), day: n('day'), hour: n('hour') % 24, minute: n('minute'), second: n('second') };
}

/** Seconds the zone is ahead of UTC at instant t. */
function offsetAt(t: number, timeZone: string): number {
  const p = localParts(Math.floor(t), timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) / 1000 - Math.floor(t);
}

/** The instant of local midnight starting a calendar day (UTC day number) in a zone. */
function localMidnight(dayNumber: number, timeZone: string): number {
  const wall = dayNumber * day;
  let t = wall - offsetAt(wall, timeZone);
  // Once more with the offset at the candidate, for days whose offset differs from the guess's (DST changes).
  t = wall - offsetAt(t, timeZone);
  return t;
}

export function weekBounds(week: IsoWeek, timeZone: string): WeekBounds {
  const monday = firstMonday(week.year) + (week.week - 1) * 7;
  return { week, timeZone, start: localMidnight(monday, timeZone), end: localMidnight(monday + 7, timeZone) };
}

/** The ISO week holding instant t, by the calendar of a zone. */
export function weekAt(t: number, timeZone: string): IsoWeek {
  const p = localParts(t, timeZone);
  return weekOfDay(Date.UTC(p.year, p.month - 1, p.day) / 1000 / day);
}

export function previousWeek(week: IsoWeek): IsoWeek {
  return week.week > 1 ? { year: week.year, week: week.week - 1 } : { year: week.year - 1, week: weeksInYear(week.year - 1) };
}

/** The latest week that has ended by `now` in the zone. */
export function lastCompleteWeek(now: number, timeZone: string): IsoWeek {
  return previousWeek(weekAt(now, timeZone));
}
