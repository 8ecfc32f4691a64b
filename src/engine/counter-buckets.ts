import { BackendError, type MetricBackend } from '../backends/backend.js';
import { counterGapLimitMs } from '../backends/embedded/counter-increments.js';
import { memorySampleReader } from '../backends/embedded/memory-sample-reader.js';
import type { LabelMatcher } from '../labels/matchers.js';
import type { Expr } from '../backends/embedded/promql-ast.js';
import { parsePromql } from '../backends/embedded/promql-parser.js';
import { evaluateCooperatively } from '../backends/embedded/range-evaluator.js';
import type { StepSeries } from '../backends/embedded/step-values.js';
import type { BucketAppend } from '../ledger/bucket-ledger.js';
import { fillWindow } from '../promql/fill-window.js';
import type { Indicator } from '../slo/model.js';
import type { QueryRange } from './bucket-plan.js';
import { eventsFrom, IndicatorShapeError } from './indicator-buckets.js';

/**
 * How an SLO's budget buckets are computed: `exact` from the backend's raw samples (counter increments that add
 * up to the counter's increase over any span), or `approximate` from `increase()` per bucket where the backend
 * cannot give raw samples or a query is outside what burnrate evaluates itself.
 */
export type BucketMethod = { exact: true } | { exact: false; reason: string };

/** One indicator query ready for exact buckets: its tree at the bucket width and the selectors whose samples it reads. */
interface IncrementQuery {
  expr: Expr;
  selectors: string[];
  /** Longest range in the query, ms: samples are needed from this far before a bucket's end (plus the gap limit). */
  rangeMs: number;
}

/** Grids longer than this are computed in parts, so that one part's samples stay a bounded amount of memory. */
const partSpan = 3 * 86_400;

function formatSelector(matchers: readonly LabelMatcher[]): string {
  return `{${matchers.map((m) => `${m.name}${m.type}${JSON.stringify(m.value)}`).join(', ')}}`;
}

/**
 * Parsed queries by bucket width and template: every cycle asks for each SLO's two queries twice (which method, then
 * the buckets), and the answer depends on nothing else. One entry per query the loaded SLOs ever had.
 */
const parsed = new Map<string, IncrementQuery | string>();

/** The query's selectors, or why its buckets cannot be exact. */
function incrementQuery(template: string, width: number): IncrementQuery | string {
  const key = `${width} ${template}`;
  let query = parsed.get(key);
  if (query === undefined) {
    query = parseIncrementQuery(template, width);
    parsed.set(key, query);
  }
  return query;
}

function parseIncrementQuery(template: string, width: number): IncrementQuery | string {
  let expr: Expr;
  try {
    expr = parsePromql(fillWindow(template, width));
  } catch (error) {
    // The parser's advice to use the Prometheus backend does not apply here: the budget stays approximate on any.
    return (error instanceof Error ? error.message : String(error)).replace(/; use the Prometheus backend for it$/, '');
  }
  const selectors = new Set<string>();
  let rangeMs = 0;
  let problem: string | undefined;
  const visit = (node: Expr): void => {
    switch (node.kind) {
      case 'number':
        return;
      case 'vector':
        problem = 'the query reads a series outside rate()/increase(), which has no counter increments';
        return;
      case 'matrix':
        problem = 'the query has a range vector outside rate()/increase()';
        return;
      case 'call':
        selectors.add(formatSelector(node.arg.selector.matchers));
        rangeMs = Math.max(rangeMs, node.arg.rangeMs);
        return;
      case 'labelReplace':
      case 'sum':
      case 'unary':
        visit(node.expr);
        return;
      case 'binary':
      case 'set':
        visit(node.lhs);
        visit(node.rhs);
    }
  };
  visit(expr);
  return problem ?? { expr, selectors: [...selectors], rangeMs };
}

/** Whether the SLO's buckets can be exact with this backend, and why not. */
export function bucketMethod(indicator: Indicator, backend: MetricBackend, width: number): BucketMethod {
  if (backend.rawSamples === undefined) return { exact: false, reason: `the ${backend.kind} backend gives no raw samples` };
  for (const part of [indicator.numerator, indicator.total]) {
    const query = incrementQuery(part.template, width);
    if (typeof query === 'string') return { exact: false, reason: query };
  }
  return { exact: true };
}

/** The query's single value at each step (absent: no data); several series mean it does not aggregate to one. */
async function incrementsAt(
  query: IncrementQuery,
  which: string,
  backend: MetricBackend,
  start: number,
  count: number,
  width: number,
  signal: AbortSignal | undefined,
): Promise<{ values: Map<number, number>; requests: number; gaps: number }> {
  const end = start + (count - 1) * width;
  const from = start - (query.rangeMs + counterGapLimitMs) / 1000;
  const fetched = await Promise.all(query.selectors.map((selector) => backend.rawSamples!({ selector, from, to: end }, signal)));
  const store = memorySampleReader(fetched.flat());
  const checkAbort = (): void => {
    if (signal?.aborted) throw new BackendError('timeout', 'the query was aborted', { cause: signal.reason });
  };
  const gaps = { count: 0 };
  const value = await evaluateCooperatively(query.expr, { store, grid: { startMs: start * 1000, stepMs: width * 1000, count }, checkAbort, rangeFunctions: 'increments', gaps });
  const series: StepSeries[] = value.type === 'vector' ? value.series : [{ labels: {}, values: value.values, present: new Uint8Array(count).fill(1) }];
  if (series.length > 1) throw new IndicatorShapeError(which, JSON.stringify(series[1]!.labels));
  const values = new Map<number, number>();
  const only = series[0];
  if (only) for (let i = 0; i < count; i++) if (only.present[i] === 1) values.set(start + i * width, only.values[i] as number);
  return { values, requests: query.selectors.length, gaps: gaps.count };
}

/**
 * Exact buckets for each step of the range from the backend's raw samples: the counter increments between
 * samples, each counted in the bucket holding its later sample, so consecutive buckets add up to the
 * counter's increase and a budget summed from them equals the one computed over the whole window. `gaps` counts
 * the pairs of samples further apart than the gap limit, whose increments no bucket counts.
 */
export async function exactBuckets(
  indicator: Indicator,
  backend: MetricBackend,
  range: Pick<QueryRange, 'start' | 'end' | 'width'>,
  signal?: AbortSignal,
): Promise<{ buckets: BucketAppend[]; requests: number; gaps: number }> {
  const numerator = incrementQuery(indicator.numerator.template, range.width);
  const total = incrementQuery(indicator.total.template, range.width);
  if (typeof numerator === 'string' || typeof total === 'string') throw new Error('exact buckets need queries burnrate can evaluate; check bucketMethod first');
  const buckets: BucketAppend[] = [];
  let requests = 0;
  let gaps = 0;
  const stepsPerPart = Math.max(1, Math.floor(partSpan / range.width));
  for (let start = range.start; start <= range.end; start += stepsPerPart * range.width) {
    const count = Math.min(stepsPerPart, Math.floor((range.end - start) / range.width) + 1);
    const [errorsOrGood, all] = await Promise.all([
      incrementsAt(numerator, indicator.numeratorKind, backend, start, count, range.width, signal),
      incrementsAt(total, 'total', backend, start, count, range.width, signal),
    ]);
    requests += errorsOrGood.requests + all.requests;
    // The total usually reads the same targets as the errors: a gap of one target shows in both.
    gaps += Math.max(errorsOrGood.gaps, all.gaps);
    for (let i = 0; i < count; i++) {
      const end = start + i * range.width;
      const events = eventsFrom(indicator, range.width, errorsOrGood.values.get(end), all.values.get(end), 'increments');
      buckets.push({ end, width: range.width, errors: events?.errors ?? null, total: events?.total ?? null });
    }
  }
  return { buckets, requests, gaps };
}
