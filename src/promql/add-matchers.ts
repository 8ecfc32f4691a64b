import { parseLabelSelector } from './label-selector.js';
import { querySelectors } from './query-selectors.js';

/**
 * The template with the selector's matchers added to every vector selector, by the PromQL grammar rather than by
 * text: `metric`, `metric{}`, `metric{a="b",}`, `{__name__="x"}`, selectors under offsets, aggregations and binary
 * operators all get them; braces inside strings are left alone. `{{window}}` stays in place.
 * `addMatchers('sum(rate(x{code="500"}[{{window}}]))', '{track="canary"}')` is
 * `sum(rate(x{code="500", track="canary"}[{{window}}]))`.
 */
export function addMatchers(template: string, selector: string): string {
  const parsed = parseLabelSelector(selector);
  if (!parsed.ok) throw new Error(`cannot add ${selector} to a query: ${parsed.problem.message}`);
  const selectors = querySelectors(template);
  if (selectors === undefined) throw new Error(`cannot add ${selector} to a query that is not valid PromQL: ${template}`);
  const added = parsed.matchers.map((m) => m.text).join(', ');
  let out = template;
  // From the last selector back, so that the offsets of the earlier ones still hold.
  for (const at of [...selectors].reverse()) {
    const text = at.insertAs === 'braces' ? `{${added}}` : at.insertAs === 'after-matcher' ? `, ${added}` : added;
    out = out.slice(0, at.insertAt) + text + out.slice(at.insertAt);
  }
  return out;
}
