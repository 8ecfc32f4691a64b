import { compileMatcher as compileLabelMatcher, matchTypes, type LabelMatcher, type LabelSet, type MatchType } from '../labels/matchers.js';
import { RegexSyntaxError } from '../labels/re2-regex.js';

/**
 * Alertmanager's label matcher: `name="value"`, `name!="value"`, `name=~"regex"`, `name!~"regex"`. The same
 * matcher, with the same RE2 semantics, as the selectors of the embedded store's PromQL.
 */
export type Matcher = LabelMatcher;
export { matchTypes, type MatchType };

export class MatcherSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MatcherSyntaxError';
  }
}

// `=~` before `=` so that the `~` is not read as part of the value.
const matcherPattern = /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(=~|!~|!=|=)\s*([\s\S]*?)\s*$/;

/**
 * Parses one matcher as Alertmanager does: the value may be double-quoted or bare; inside it `\"`, `\\` and `\n`
 * are escapes, any other backslash is literal; an unescaped `"` may only open and close the value.
 * Regular expressions are RE2, fully anchored, and checked here.
 */
export function parseMatcher(text: string): Matcher {
  const match = matcherPattern.exec(text);
  if (!match) throw new MatcherSyntaxError(`bad matcher format: expected name="value" with =, !=, =~ or !~, got ${JSON.stringify(text)}`);
  const [, name = '', type = '=', raw = ''] = match;
  const matcher: Matcher = { name, type: type as MatchType, value: unescapeValue(raw) };
  compileMatcher(matcher);
  return matcher;
}

function unescapeValue(raw: string): string {
  const quoted = raw.startsWith('"');
  const body = quoted ? raw.slice(1) : raw;
  let value = '';
  let closed = !quoted;
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c === '\\' && i < body.length - 1) {
      const next = body[++i] as string;
      value += next === 'n' ? '\n' : next === '"' || next === '\\' ? next : `\\${next}`;
    } else if (c === '"') {
      if (!quoted || i < body.length - 1) throw new MatcherSyntaxError(`matcher value contains an unescaped double quote: ${raw}`);
      closed = true;
    } else value += c;
  }
  if (!closed) throw new MatcherSyntaxError(`matcher value contains an unescaped double quote: ${raw}`);
  return value;
}

/** `name="value"` with the value quoted and escaped so that parseMatcher reads it back. */
export function formatMatcher(matcher: Matcher): string {
  const value = matcher.value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
  return `${matcher.name}${matcher.type}"${value}"`;
}

type ValueTest = (value: string) => boolean;
const compiled = new WeakMap<Matcher, ValueTest>();

/** The value test of a matcher, compiled once per matcher object. Throws MatcherSyntaxError for a bad regex. */
export function compileMatcher(matcher: Matcher): ValueTest {
  const cached = compiled.get(matcher);
  if (cached) return cached;
  let test: ValueTest;
  try {
    test = compileLabelMatcher(matcher).matches;
  } catch (error) {
    if (error instanceof RegexSyntaxError) {
      throw new MatcherSyntaxError(`invalid regular expression ${JSON.stringify(matcher.value)}: ${error.message}`);
    }
    throw error;
  }
  compiled.set(matcher, test);
  return test;
}

/** A missing label is matched as the empty string, so `x!="a"` and `x=~""` match an alert without `x`. */
export function matches(matcher: Matcher, labels: LabelSet): boolean {
  return compileMatcher(matcher)(labels[matcher.name] ?? '');
}

export function matchesAll(matchers: readonly Matcher[], labels: LabelSet): boolean {
  for (const matcher of matchers) if (!matches(matcher, labels)) return false;
  return true;
}

/**
 * Alertmanager's silence rule: only `=` and `=~` matchers count as matching the empty string (when they do);
 * negative matchers never do, so `env!="prod"` alone is accepted, as Alertmanager accepts it.
 */
export function matchesEmpty(matcher: Matcher): boolean {
  if (matcher.type === '=') return matcher.value === '';
  if (matcher.type === '=~') return compileMatcher(matcher)('');
  return false;
}
