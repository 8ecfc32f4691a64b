import { describe, expect, it } from 'vitest';
import { checkTimeZone, formatIsoWeek, lastCompleteWeek, parseIsoWeek, weekAt, weekBounds, weeksInYear } from '../../src/report/iso-week.js';

const utc = (text: string) => Date.parse(text) / 1000;

describe('ISO week parsing', () => {
  it.each([
    ['a plain week', '2026-W47', { year: 2026, week: 47 }],
    ['week 53 of a long year', '2026-W53', { year: 2026, week: 53 }],
    ['week 53 of 2020', '2020-W53', { year: 2020, week: 53 }],
    ['week 53 of a short year', '2025-W53', undefined],
    ['week zero', '2026-W00', undefined],
    ['a week without the year', 'W47', undefined],
    ['a single-digit week', '2026-W7', undefined],
    ['a date', '2026-11-16', undefined],
  ])('%s: %s', (_name, text, expected) => {
    expect(parseIsoWeek(text)).toEqual(expected);
  });

  it('formats back', () => {
    expect(formatIsoWeek({ year: 2027, week: 1 })).toBe('2027-W01');
  });

  it('knows long years', () => {
    expect([2020, 2025, 2026, 2032].map(weeksInYear)).toEqual([53, 52, 53, 53]);
  });
});

describe('week bounds in a time zone', () => {
  it.each([
    ['Berlin in winter: Monday 00:00 CET is 23:00 UTC the day before', '2026-W47', 'Europe/Berlin', '2026-11-15T23:00:00Z', '2026-11-22T23:00:00Z'],
    ['UTC', '2026-W47', 'UTC', '2026-11-16T00:00:00Z', '2026-11-23T00:00:00Z'],
    ['Berlin across the spring change: 167 hours', '2026-W13', 'Europe/Berlin', '2026-03-22T23:00:00Z', '2026-03-29T22:00:00Z'],
    ['New York across the autumn change: 169 hours', '2026-W44', 'America/New_York', '2026-10-26T04:00:00Z', '2026-11-02T05:00:00Z'],
    ['a week that starts in the year before', '2027-W01', 'Asia/Tokyo', '2027-01-03T15:00:00Z', '2027-01-10T15:00:00Z'],
    ['India, half-hour offset', '2026-W47', 'Asia/Kolkata', '2026-11-15T18:30:00Z', '2026-11-22T18:30:00Z'],
  ])('%s', (_name, week, zone, start, end) => {
    const bounds = weekBounds(parseIsoWeek(week)!, zone);
    expect(bounds.start).toBe(utc(start));
    expect(bounds.end).toBe(utc(end));
  });
});

describe('the last complete week', () => {
  it.each([
    ['Sunday night in Berlin: the week is not over', '2026-11-22T22:59:59Z', 'Europe/Berlin', '2026-W46'],
    ['Monday 00:00 in Berlin is still Sunday in UTC', '2026-11-22T23:00:00Z', 'Europe/Berlin', '2026-W47'],
    ['the same instant in UTC', '2026-11-22T23:00:00Z', 'UTC', '2026-W46'],
    ['the first Monday of a year', '2027-01-04T09:00:00Z', 'UTC', '2026-W53'],
    ['Monday 09:00 in Berlin, when reports go out', '2026-11-23T08:00:00Z', 'Europe/Berlin', '2026-W47'],
  ])('%s', (_name, now, zone, expected) => {
    expect(formatIsoWeek(lastCompleteWeek(utc(now), zone))).toBe(expected);
  });

  it('weekAt agrees with the bounds', () => {
    const bounds = weekBounds(parseIsoWeek('2026-W13')!, 'Europe/Berlin');
    expect(formatIsoWeek(weekAt(bounds.start, 'Europe/Berlin'))).toBe('2026-W13');
    expect(formatIsoWeek(weekAt(bounds.end - 1, 'Europe/Berlin'))).toBe('2026-W13');
    expect(formatIsoWeek(weekAt(bounds.end, 'Europe/Berlin'))).toBe('2026-W14');
  });

  it('refuses an unknown zone by name', () => {
    expect(() => checkTimeZone('Europe/Atlantis')).toThrow('unknown time zone "Europe/Atlantis"');
  });
});
