import { compileMatcher, type LabelMatcher } from '../labels/matchers.js';
import { RegexSyntaxError } from '../labels/re2-regex.js';
import type { TemplateProblem } from './analyze-template.js';
import { selectorOf } from './query-selectors.js';
import { parsePromql } from './syntax.js';

/** A matcher of a label selector: what it matches, and its text as written (`track="canary"`). */
export interface SelectorMatcher extends LabelMatcher {
  text: string;
}

export type LabelSelectorParse = { ok: true; matchers: SelectorMatcher[] } | { ok: false; problem: TemplateProblem };

const example = 'e.g. {track="canary"}';

/**
 * Reads a label selector in braces with one or more matchers (`=`, `!=`, `=~`, `!~`), such as `{track="canary"}`:
 * the form that narrows every selector of a query to some of its series. No metric name (the query names its
 * metrics), label names unquoted, regular expressions valid RE2.
 */
export function parseLabelSelector(selector: string): LabelSelectorParse {
  const fail = (message: string, offset = 0): LabelSelectorParse => ({ ok: false, problem: { offset, message } });
  const metricName = (name: string) => fail(`expected label matchers only, ${example}, got the metric name ${JSON.stringify(name)}: the SLI queries name their own metrics`);
  const parsed = parsePromql(selector);
  const node = parsed.ok ? parsed.tree.topNode.firstChild : null;
  const alone = node?.name === 'VectorSelector' && node.nextSibling === null;
  const identifier = alone ? node.getChild('Identifier') : null;
  if (identifier) return metricName(selector.slice(identifier.from, identifier.to));
  if (!selector.trimStart().startsWith('{') || (parsed.ok && !alone)) return fail(`expected a label selector in braces, ${example}, got ${JSON.stringify(selector)}`);
  if (!parsed.ok) return fail(`invalid label selector: ${parsed.error.message}`, parsed.error.offset);

  const parts = selectorOf(node!, selector);
  if (parts.metricName !== undefined) return metricName(parts.metricName);
  if (parts.matchers.length === 0) return fail(`expected at least one label matcher, ${example}: an empty selector selects every series of the SLI queries`);
  const matchers: SelectorMatcher[] = [];
  for (const matcher of parts.matchers) {
    if (matcher.name === '__name__') return fail(`expected label matchers only, ${example}, got a match on the metric name (${matcher.text}): the SLI queries name their own metrics`, matcher.from);
    if (matcher.quotedName) return fail(`expected an unquoted label name, got ${matcher.text}: quoted label names need Prometheus 3 and the embedded store reads none`, matcher.from);
    if (matcher.value === undefined) return fail(`invalid string ${matcher.text.slice(matcher.valueFrom - matcher.from)}`, matcher.valueFrom);
    const read = { name: matcher.name, type: matcher.type, value: matcher.value };
    try {
      compileMatcher(read);
    } catch (error) {
      if (!(error instanceof RegexSyntaxError)) throw error;
      return fail(`invalid regular expression ${JSON.stringify(read.value)} for label ${read.name}: ${error.message}`, matcher.valueFrom);
    }
    matchers.push({ ...read, text: matcher.text });
  }
  return { ok: true, matchers };
}
