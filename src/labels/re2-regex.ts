import { RE2JS, RE2JSException } from 're2js';

/**
 * Regular expressions from users (silences, routes, selectors, `label_replace`) run on RE2JS, a port of Go's
 * `regexp`: RE2 syntax and semantics exactly, and matching in time linear in the input, whatever the pattern.
 * A backtracking engine (JavaScript's RegExp) takes exponential time on patterns such as `(.*.*)*x`.
 * Patterns are anchored as Prometheus and Alertmanager anchor them: `^(?:pattern)$`.
 */
export class RegexSyntaxError extends Error {}

/** Longest pattern accepted, in characters: generous for alternations of hundreds of names. */
export const maxRegexLength = 4096;

/** A match with its capture groups, as Go's `FindStringSubmatchIndex` yields them; an absent group is undefined. */
export interface RegexMatch {
  readonly length: number;
  readonly [group: number]: string | undefined;
  readonly groups?: Readonly<Record<string, string | undefined>> | undefined;
}

/** An RE2 pattern anchored at both ends of the value. */
export interface AnchoredRegex {
  /** The pattern as the user wrote it. */
  readonly source: string;
  test(value: string): boolean;
  /** The match with its capture groups, or null when the whole value does not match. */
  exec(value: string): RegexMatch | null;
}

// Compiled patterns are immutable and stateless, so one compilation serves every query that repeats a pattern.
const cacheSize = 256;
const cache = new Map<string, AnchoredRegex>();

/** Returns the anchored regex for an RE2 pattern, or throws RegexSyntaxError (in the user's terms). */
export function compileAnchoredRe2(pattern: string): AnchoredRegex {
  const cached = cache.get(pattern);
  if (cached) return cached;
  const regex = compile(pattern);
  if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string);
  cache.set(pattern, regex);
  return regex;
}

function compile(pattern: string): AnchoredRegex {
  if (pattern.length > maxRegexLength) {
    throw new RegexSyntaxError(`pattern too long: ${pattern.length} characters, at most ${maxRegexLength} are accepted`);
  }
  let re2: RE2JS;
  try {
    re2 = RE2JS.compile(`^(?:${pattern})$`);
  } catch (error) {
    throw new RegexSyntaxError(describeSyntaxError(pattern, error));
  }
  const test = literalTest(pattern) ?? memoized((value) => re2.testExact(value));
  return {
    source: pattern,
    test,
    // The DFA answers whether there is a match; captures are only worked out for values that match.
    exec: (value) => (test(value) ? (re2.exec(value) as RegexMatch | null) : null),
  };
}

// RE2's metacharacters; a pattern without them is a literal.
const metacharacter = /[\\.+*?()|[\]{}^$]/;

/**
 * The common shapes answered without the engine, exactly as RE2 would: a literal, an alternation of literals
 * (`checkout|payments`), and a literal followed by `.*` (`svc-.*`; `.` does not match a newline).
 */
function literalTest(pattern: string): ((value: string) => boolean) | undefined {
  if (pattern.endsWith('.*') && !metacharacter.test(pattern.slice(0, -2))) {
    const prefix = pattern.slice(0, -2);
    return (value) => value.startsWith(prefix) && !value.includes('\n', prefix.length);
  }
  const alternatives = pattern.split('|');
  if (alternatives.some((alternative) => metacharacter.test(alternative))) return undefined;
  const set = new Set(alternatives);
  return (value) => set.has(value);
}

// Label values repeat (the same alerts each beat, the same series each query): remember recent answers to short
// ones. At most 256 patterns x 512 values x 128 characters are held.
const memoSize = 512;
const memoMaxValueLength = 128;

function memoized(test: (value: string) => boolean): (value: string) => boolean {
  let memo = new Map<string, boolean>();
  return (value) => {
    if (value.length > memoMaxValueLength) return test(value);
    const known = memo.get(value);
    if (known !== undefined) return known;
    const result = test(value);
    if (memo.size >= memoSize) memo = new Map();
    memo.set(value, result);
    return result;
  };
}

/** Go's message, about the pattern as written rather than the anchored one built around it when possible. */
function describeSyntaxError(pattern: string, error: unknown): string {
  if (!(error instanceof RE2JSException)) throw error;
  try {
    RE2JS.compile(pattern);
  } catch (own) {
    if (own instanceof RE2JSException) return withoutPrefix(own.message);
  }
  return withoutPrefix(error.message);
}

function withoutPrefix(message: string): string {
  return message.replace(/^error parsing regexp: /, '');
}
