import type { SyntaxNode } from '@lezer/common';
import { windowPlaceholder, windowSentinel } from './fill-window.js';
import { parsePromql } from './syntax.js';

export interface TemplateProblem {
  /** Zero-based offset in the template. */
  offset: number;
  message: string;
}

/** How a query's value relates to events: `rate()` yields events per second, `increase()` events. */
export type ValueUnit = 'per_second' | 'events';

export type TemplateAnalysis = { ok: true; unit: ValueUnit } | { ok: false; problems: TemplateProblem[] };

const expectation = `expected {{window}} as the range of rate() or increase(), e.g. sum(rate(metric[{{window}}]))`;

const unitOf: Readonly<Record<string, ValueUnit>> = { rate: 'per_second', increase: 'events' };

/**
 * Checks an SLI query template: valid PromQL once `{{window}}` is filled in, and every `{{window}}` the
 * range of a matrix selector inside rate() (events per second) or increase() (events), all with one function.
 */
export function analyzeTemplate(template: string): TemplateAnalysis {
  const placeholderProblems = checkPlaceholders(template);
  if (placeholderProblems.length > 0) return { ok: false, problems: placeholderProblems };

  const offsets = placeholderOffsets(template);
  if (offsets.length === 0) {
    return { ok: false, problems: [{ offset: 0, message: `${expectation}: the query has no {{window}}` }] };
  }

  const parsed = parsePromql(template.replaceAll(windowPlaceholder, windowSentinel));
  if (!parsed.ok) return { ok: false, problems: [{ offset: parsed.error.offset, message: `invalid PromQL: ${parsed.error.message}` }] };

  const problems: TemplateProblem[] = [];
  const functions = new Set<string>();
  for (const offset of offsets) {
    const found = enclosingRangeFunction(parsed.tree.resolveInner(offset + 1, 1), template);
    if ('problem' in found) problems.push({ offset, message: `${expectation}, ${found.problem}` });
    else functions.add(found.name);
  }
  if (problems.length > 0) return { ok: false, problems };
  if (functions.size > 1) {
    return {
      ok: false,
      problems: [{ offset: offsets[0] ?? 0, message: `${expectation}, got {{window}} in both ${[...functions].map((f) => `${f}()`).join(' and ')}: use one function so the query has one unit` }],
    };
  }
  const [name] = functions;
  const unit = name === undefined ? undefined : unitOf[name];
  return unit === undefined ? { ok: false, problems: [{ offset: 0, message: expectation }] } : { ok: true, unit };
}

function placeholderOffsets(template: string): number[] {
  const offsets: number[] = [];
  for (let at = template.indexOf(windowPlaceholder); at >= 0; at = template.indexOf(windowPlaceholder, at + 1)) offsets.push(at);
  return offsets;
}

function checkPlaceholders(template: string): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  for (const match of template.matchAll(/\{\{[^}]*\}\}/g)) {
    if (match[0] === windowPlaceholder) continue;
    const spaced = match[0].replace(/\s+/g, '') === windowPlaceholder;
    problems.push({
      offset: match.index,
      message: spaced
        ? `write the placeholder as {{window}}, without spaces, got ${match[0]}`
        : `unknown placeholder ${match[0]}: the only placeholder is {{window}}`,
    });
  }
  return problems;
}

type RangeFunction = { name: string } | { problem: string };

function enclosingRangeFunction(node: SyntaxNode, template: string): RangeFunction {
  let at: SyntaxNode | null = node;
  while (at !== null && !['DurationExpr', 'OffsetDurationExpr', 'StringLiteral'].includes(at.name)) at = at.parent;
  if (at === null) return { problem: 'got {{window}} outside a range selector' };
  if (at.name === 'StringLiteral') return { problem: 'got {{window}} inside a string' };
  if (at.name === 'OffsetDurationExpr') return { problem: 'got {{window}} as an offset' };
  const owner = at.parent;
  if (owner?.name !== 'MatrixSelector') {
    const where = owner?.name === 'SubqueryExpr' ? 'a subquery range' : 'part of a duration expression';
    return { problem: `got {{window}} as ${where}` };
  }
  let up: SyntaxNode | null = owner.parent;
  while (up !== null && (up.name === 'OffsetExpr' || up.name === 'StepInvariantExpr' || up.name === 'ParenExpr')) up = up.parent;
  const call = up?.name === 'FunctionCallBody' ? up.parent : null;
  const identifier = call?.name === 'FunctionCall' ? call.getChild('FunctionIdentifier') : null;
  if (call === null || identifier === null || identifier === undefined) return { problem: 'got a range selector that no function is applied to' };
  const name = template.slice(identifier.from, identifier.to);
  if (name === 'irate') {
    return { problem: 'got irate(): irate() uses only the last two samples of the window, so it does not count the events in the window' };
  }
  if (unitOf[name] === undefined) return { problem: `got ${name}()` };
  return { name };
}
