import * as z from 'zod';
import { formatDuration, parseDuration } from '../core/duration.js';
import { formatTime, isSaneTime, parseTime } from '../core/time.js';
import { formatPath } from '../spec/diagnostic.js';
import { compileMatcher, matchesEmpty, matchTypes, MatcherSyntaxError, parseMatcher, type Matcher } from '../routing/matcher.js';
import { SilenceError } from './silence.js';

const labelName = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const time = z.union([z.number().nonnegative(), z.string()], { error: 'expected an RFC 3339 time or unix seconds' });
const required = z.string({ error: (issue) => (issue.input === undefined ? 'required' : 'expected a string') }).trim().min(1, { error: 'must not be empty' });

/** A new silence as the CLI and the HTTP API take it. Matchers as text (`team="payments"`) or as objects. */
export const silenceInputSchema = z.strictObject({
  matchers: z
    .array(
      z.union([
        z.string(),
        z.strictObject({
          name: z.string().regex(labelName, { error: 'expected a label name' }),
          type: z.enum(matchTypes, { error: 'expected one of =, !=, =~, !~' }),
          value: z.string({ error: 'expected a string' }),
        }),
      ], { error: 'expected a matcher such as team="payments" or {name, type, value}' }),
      { error: (issue) => (issue.input === undefined ? 'required' : 'expected a list') },
    )
    .min(1, { error: 'at least one matcher is required' }),
  startsAt: time.optional(),
  endsAt: time.optional(),
  duration: z.string().optional(),
  createdBy: required,
  comment: required,
}, {
  error: (issue) =>
    issue.code === 'unrecognized_keys'
      ? `unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}: allowed fields: matchers, startsAt, endsAt, duration, createdBy, comment`
      : undefined,
});

export type SilenceInput = z.input<typeof silenceInputSchema>;

/** The longest a silence may last, and how far ahead it may start: a year each. */
export const maxSilenceSeconds = 365 * 86_400;
export const maxSilenceStartAhead = 365 * 86_400;

export interface SilenceDraft {
  matchers: Matcher[];
  startsAt: number;
  endsAt: number;
  createdBy: string;
  comment: string;
}

/**
 * Validates a new silence with Alertmanager's rules: at least one matcher, and one that does not match the
 * empty string; a start in the past means now; it must end after it starts, given by `endsAt` or `duration`.
 * Times are bounded before anything is stored: a start at most {@link maxSilenceStartAhead} ahead, a length of at
 * most {@link maxSilenceSeconds}. Throws SilenceError `invalid` with every problem found.
 */
export function resolveSilenceInput(input: unknown, now: number): SilenceDraft {
  const parsed = silenceInputSchema.safeParse(input);
  if (!parsed.success) {
    throw invalid(parsed.error.issues.map((issue) => (issue.path.length > 0 ? `${formatPath(issue.path)}: ${issue.message}` : issue.message)));
  }
  const wire = parsed.data;
  const problems: string[] = [];
  const matchers: Matcher[] = [];
  wire.matchers.forEach((item, index) => {
    try {
      const matcher = typeof item === 'string' ? parseMatcher(item) : { ...item };
      compileMatcher(matcher);
      matchers.push(matcher);
    } catch (error) {
      if (!(error instanceof MatcherSyntaxError)) throw error;
      problems.push(`matchers[${index}]: ${error.message}`);
    }
  });
  if (problems.length === 0 && matchers.every(matchesEmpty)) {
    problems.push('at least one matcher must not match the empty string: such a silence would mute every alert');
  }

  const startsAtGiven = readTime(wire.startsAt, 'startsAt', problems);
  const startsAt = Math.max(startsAtGiven ?? now, now);
  if (startsAt > now + maxSilenceStartAhead) {
    problems.push(`startsAt: expected a start at most ${formatDuration(maxSilenceStartAhead)} ahead, got ${formatTime(startsAt)}`);
  }
  let endsAt: number | undefined;
  if (wire.endsAt !== undefined && wire.duration !== undefined) problems.push('give endsAt or duration, not both');
  else if (wire.duration !== undefined) {
    const seconds = parseDuration(wire.duration);
    if (seconds === undefined) problems.push(`duration: expected a whole number followed by s, m, h, d or w (e.g. 2h), at most ${formatDuration(maxSilenceSeconds)}, got ${JSON.stringify(wire.duration)}`);
    else endsAt = startsAt + seconds;
  } else if (wire.endsAt !== undefined) endsAt = readTime(wire.endsAt, 'endsAt', problems);
  else problems.push('endsAt or duration is required');
  if (endsAt !== undefined && endsAt <= startsAt) {
    problems.push(`endsAt (${formatTime(endsAt)}) must be after startsAt (${formatTime(startsAt)})${endsAt <= now ? ': it is in the past' : ''}`);
  } else if (endsAt !== undefined && endsAt - startsAt > maxSilenceSeconds) {
    problems.push(`a silence lasts at most ${formatDuration(maxSilenceSeconds)}: this one would end ${formatTime(endsAt)}; create a new one when it ends`);
  }
  if (problems.length > 0 || endsAt === undefined) throw invalid(problems);
  return { matchers, startsAt, endsAt, createdBy: wire.createdBy, comment: wire.comment };
}

function readTime(value: number | string | undefined, field: string, problems: string[]): number | undefined {
  if (value === undefined) return undefined;
  const seconds = typeof value === 'number' ? (isSaneTime(value) ? value : undefined) : parseTime(value);
  if (seconds === undefined) problems.push(`${field}: expected an RFC 3339 time with offset or unix seconds from 1970 to 9999, got ${JSON.stringify(value)}`);
  return seconds;
}

function invalid(problems: readonly string[]): SilenceError {
  return new SilenceError('invalid', `invalid silence: ${problems.join('; ')}`);
}
