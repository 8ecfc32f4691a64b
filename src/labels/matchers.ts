import { compileAnchoredRe2 } from './re2-regex.js';

/** A set of labels by name; matching tests an absent label as the empty string. */
export type LabelSet = Readonly<Record<string, string>>;

export const matchTypes = ['=', '!=', '=~', '!~'] as const;
export type MatchType = (typeof matchTypes)[number];

export interface LabelMatcher {
  name: string;
  type: MatchType;
  value: string;
}

/** A matcher ready to test values; an absent label is tested as the empty string, as Prometheus does. */
export interface CompiledMatcher extends LabelMatcher {
  matches(value: string): boolean;
}

/** Compiles a matcher; a bad regular expression throws RegexSyntaxError. */
export function compileMatcher(matcher: LabelMatcher): CompiledMatcher {
  const { type, value } = matcher;
  if (type === '=') return { ...matcher, matches: (v) => v === value };
  if (type === '!=') return { ...matcher, matches: (v) => v !== value };
  const regex = compileAnchoredRe2(value);
  if (type === '=~') return { ...matcher, matches: (v) => regex.test(v) };
  return { ...matcher, matches: (v) => !regex.test(v) };
}

export function matchesAll(labels: LabelSet, matchers: readonly CompiledMatcher[]): boolean {
  return matchers.every((m) => m.matches(labels[m.name] ?? ''));
}
