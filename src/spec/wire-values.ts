import * as z from 'zod';
import { formatDuration, parseDuration } from '../core/duration.js';

/** How a YAML value reads in a message: strings quoted, collections by kind. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null (an empty value)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

/** An error callback for zod: says what was expected and what the file holds. */
export function expecting(what: string) {
  return (issue: { input?: unknown }): string =>
    issue.input === undefined ? `required field missing: expected ${what}` : `expected ${what}, got ${show(issue.input)}`;
}

export const dnsLabelPattern = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const dnsLabelText = 'a lowercase name of a-z, 0-9 and "-" that starts and ends with a letter or digit, at most 63 characters';

export const dnsLabel = z.string({ error: expecting(dnsLabelText) }).superRefine((value, ctx) => {
  if (!dnsLabelPattern.test(value) || value.length > 63) ctx.addIssue({ code: 'custom', message: `expected ${dnsLabelText}, got ${show(value)}` });
});

export interface DurationBounds {
  min: number;
  max: number;
}

const durationText = 'a duration: a whole number followed by s, m, h, d or w (e.g. 5m, 1h, 30d)';

/** A duration string within bounds, e.g. `30d`. */
export function duration(bounds: DurationBounds) {
  return z.string({ error: expecting(durationText) }).superRefine((value, ctx) => {
    const seconds = parseDuration(value);
    if (seconds === undefined) {
      ctx.addIssue({ code: 'custom', message: `expected ${durationText}, got ${show(value)}` });
    } else if (seconds < bounds.min || seconds > bounds.max) {
      const range = `between ${formatDuration(bounds.min)} and ${formatDuration(bounds.max)}`;
      ctx.addIssue({ code: 'custom', message: `expected a duration ${range}, got ${value}` });
    }
  });
}

/** A hold duration: like {@link duration} but `0`, `0s` (or leaving it out) mean "at once". */
export function holdDuration(bounds: DurationBounds) {
  const nonZero = duration(bounds);
  return z.union([z.literal(0), z.string()], { error: expecting(`${durationText}, or 0`) }).superRefine((value, ctx) => {
    if (value === 0 || /^0[smhdw]?$/.test(value)) return;
    const result = nonZero.safeParse(value);
    for (const issue of result.error?.issues ?? []) ctx.addIssue({ code: 'custom', message: issue.message });
  });
}

/** Seconds of a value accepted by {@link duration} or {@link holdDuration}. */
export function durationSeconds(value: string | 0 | undefined): number {
  if (value === undefined || value === 0) return 0;
  return parseDuration(value) ?? 0;
}

/** A number in an interval; `why` explains the bounds in the message. */
export function boundedNumber(what: string, accepts: (value: number) => boolean, explain?: (value: number) => string | undefined) {
  return z.number({ error: expecting(what) }).superRefine((value, ctx) => {
    if (accepts(value)) return;
    const why = explain?.(value);
    ctx.addIssue({ code: 'custom', message: `expected ${what}, got ${value}${why === undefined ? '' : `: ${why}`}` });
  });
}
