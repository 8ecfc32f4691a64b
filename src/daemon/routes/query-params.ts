import * as z from 'zod';
import { parseDuration } from '../../core/duration.js';
import { parseSince, parseTimeText } from '../../deploys/deploy-time.js';
import type { FieldIssue } from '../http-errors.js';
import type { ParseResult } from '../route.js';

/**
 * Query parameters as zod schemas, read strictly: an unknown parameter and a repeated one (unless declared with
 * {@link param.list}) are problems, each named by its parameter. Declare a route's query with
 * `querySchema({ name: param.text(), ... })`; `defineRoute` answers every problem at once with `400 invalid_query`.
 */

type Read<T> = (raw: string) => { value: T } | { problem: string };

/** One value (absent: undefined), read by `read`. */
const single = <T>(read: Read<T>) =>
  z
    .unknown()
    .transform((raw, ctx): T => {
      if (typeof raw !== 'string') {
        ctx.addIssue({ code: 'custom', message: `expected one value, got ${Array.isArray(raw) ? raw.length : 'none'}` });
        return z.NEVER;
      }
      const result = read(raw);
      if ('value' in result) return result.value;
      ctx.addIssue({ code: 'custom', message: result.problem });
      return z.NEVER;
    })
    .optional();

const wholeNumber = (raw: string): number => (/^\d+$/.test(raw) ? Number(raw) : NaN);

export const param = {
  /** Any one string. */
  text: () => single((raw) => ({ value: raw })),

  /** One of `choices`. */
  oneOf: <T extends string>(choices: readonly T[]) =>
    single<T>((raw) => ((choices as readonly string[]).includes(raw) ? { value: raw as T } : { problem: `expected one of ${choices.join(', ')}, got "${raw}"` })),

  /** `limit`: a whole number from 1 to `max`; `fallback` when absent. */
  limit: (fallback: number, max: number) =>
    single((raw) => {
      const limit = wholeNumber(raw);
      return limit >= 1 && limit <= max ? { value: limit } : { problem: `expected a whole number from 1 to ${max}, got "${raw}"` };
    }).transform((limit) => limit ?? fallback),

  /** RFC 3339 with offset, unix seconds, or (when `now` is given) a duration back from now such as `7d`. */
  time: (now?: number) =>
    single((raw) => {
      const t = now === undefined ? parseTimeText(raw) : parseSince(raw, now);
      if (t !== undefined) return { value: t };
      const ago = now === undefined ? '' : ', or a duration back from now (e.g. 7d)';
      return { problem: `expected an RFC 3339 time with offset or unix seconds${ago}, got "${raw}"` };
    }),

  /** A duration such as `1h`, or whole seconds. */
  duration: () =>
    single((raw) => {
      const seconds = /^\d+$/.test(raw) ? Number(raw) : parseDuration(raw);
      return seconds !== undefined && seconds > 0 ? { value: seconds } : { problem: `expected a duration such as 5m or 1h, or whole seconds, got "${raw}"` };
    }),

  /** A parameter that may be repeated (`?slo=a&slo=b`): every value, none when absent. */
  list: () => z.unknown().optional().transform((raw): string[] => (raw === undefined ? [] : [raw].flat().map(String))),
};

/** The query of a route: exactly these parameters, in the order the `allowed parameters` message lists them. */
export const querySchema = <Shape extends z.ZodRawShape>(shape: Shape) => z.strictObject(shape);

/**
 * Reads `raw` (fastify's parsed query string) with `schema`: every problem named by its parameter, in the order
 * the parameters came, an unknown one saying which are allowed.
 */
export function readQuery<T>(schema: z.ZodType<T> & { shape: z.ZodRawShape }, raw: unknown): ParseResult<T> {
  const query = (raw ?? {}) as Record<string, unknown>;
  const parsed = schema.safeParse({ ...query });
  if (parsed.success) return { ok: true, value: parsed.data };
  const allowed = Object.keys(schema.shape);
  const issues: FieldIssue[] = parsed.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: key, message: `unknown parameter "${key}": allowed parameters: ${allowed.join(', ')}` }))
      : [{ path: issue.path.map(String).join('.'), message: issue.message }],
  );
  const order = Object.keys(query);
  const position = (issue: FieldIssue) => (order.includes(issue.path) ? order.indexOf(issue.path) : order.length);
  return { ok: false, issues: issues.map((issue, index) => ({ issue, index })).sort((a, b) => position(a.issue) - position(b.issue) || a.index - b.index).map(({ issue }) => issue) };
}
