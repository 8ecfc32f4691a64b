import type { SyntaxNode } from '@lezer/common';
import type { LabelMatcher, MatchType } from '../labels/matchers.js';
import { windowPlaceholder, windowSentinel } from './fill-window.js';
import { unquoteString } from './string-literal.js';
import { parsePromql } from './syntax.js';

/** A label matcher as written in a query: offsets into the query, and its value read (undefined: a malformed string). */
export interface WrittenMatcher extends Omit<LabelMatcher, 'value'> {
  value: string | undefined;
  text: string;
  from: number;
  /** Where its value's string literal starts. */
  valueFrom: number;
  /** A quoted label name (`{"http.status"="500"}`, Prometheus 3). */
  quotedName: boolean;
}

/** A vector selector of a query: its metric name, its label matchers, and where one more matcher goes. */
export interface QuerySelector {
  from: number;
  to: number;
  /** The name before the braces (`metric{…}`) or a quoted one inside them (`{"metric"}`). */
  metricName: string | undefined;
  matchers: WrittenMatcher[];
  /** Offset of the text to insert for one more matcher: after the last one, inside `{}`, or after a bare name. */
  insertAt: number;
  /** What the inserted text needs around it there: braces (bare name), a comma first (after a matcher), or nothing. */
  insertAs: 'braces' | 'after-matcher' | 'first';
}

const matchOps: Readonly<Record<string, MatchType>> = { EqlSingle: '=', Neq: '!=', EqlRegex: '=~', NeqRegex: '!~' };

const childrenOf = (node: SyntaxNode): SyntaxNode[] => {
  const list: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) list.push(child);
  return list;
};

/** The parts of a `VectorSelector` node of `query`. */
export function selectorOf(node: SyntaxNode, query: string): QuerySelector {
  const text = (n: SyntaxNode) => query.slice(n.from, n.to);
  const identifier = node.getChild('Identifier');
  const braces = node.getChild('LabelMatchers');
  let metricName = identifier ? text(identifier) : undefined;
  const matchers: WrittenMatcher[] = [];
  let last: SyntaxNode | undefined;
  for (const child of braces ? childrenOf(braces) : []) {
    if (child.name === 'QuotedLabelName') {
      metricName = unquoteString(text(child)) ?? text(child);
      last = child;
      continue;
    }
    if (child.name !== 'UnquotedLabelMatcher' && child.name !== 'QuotedLabelMatcher') continue;
    last = child;
    const [nameNode, opNode, valueNode] = childrenOf(child);
    const type = opNode?.firstChild ? matchOps[opNode.firstChild.name] : undefined;
    if (nameNode === undefined || type === undefined || valueNode === undefined) continue;
    const quotedName = child.name === 'QuotedLabelMatcher';
    const name = quotedName ? (unquoteString(text(nameNode)) ?? text(nameNode)) : text(nameNode);
    matchers.push({ name, type, value: unquoteString(text(valueNode)), text: text(child), from: child.from, valueFrom: valueNode.from, quotedName });
  }
  const insert: Pick<QuerySelector, 'insertAt' | 'insertAs'> = !braces
    ? { insertAt: node.to, insertAs: 'braces' }
    : last
      ? { insertAt: last.to, insertAs: 'after-matcher' }
      : { insertAt: braces.from + 1, insertAs: 'first' };
  return { from: node.from, to: node.to, metricName, matchers, ...insert };
}

/**
 * Every vector selector of an SLI query template, in order, with offsets into the template; undefined when it is
 * not valid PromQL. `{{window}}` is parsed as a duration of the same length, so the offsets hold in the template.
 */
export function querySelectors(template: string): QuerySelector[] | undefined {
  const query = template.replaceAll(windowPlaceholder, windowSentinel);
  const parsed = parsePromql(query);
  if (!parsed.ok) return undefined;
  const selectors: QuerySelector[] = [];
  parsed.tree.iterate({
    enter: (node) => {
      if (node.name !== 'VectorSelector') return undefined;
      selectors.push(selectorOf(node.node, query));
      return false;
    },
  });
  return selectors;
}
