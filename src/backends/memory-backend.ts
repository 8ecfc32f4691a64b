import { BackendError, type MetricBackend, type RangeQuery, type Series } from './backend.js';

/** The value of `expr` evaluated at `t` with resolution `step`; undefined means no data at that step. */
export type SyntheticValue = (expr: string, t: number, step: number) => number | undefined;

export interface MemoryBackendOptions {
  /** Default: 1 at every step. */
  value?: SyntheticValue;
  /** Keep every query received, in order (off by default: a large benchmark makes millions). */
  record?: boolean;
}

export interface MemoryBackend extends MetricBackend {
  readonly kind: 'memory';
  /** Queries received since creation or the last `resetCount()`. */
  readonly queryCount: number;
  /** Queries received, when created with `record: true`. */
  readonly queries: readonly RangeQuery[];
  resetCount(): void;
}

interface Part {
  expr: string;
  labels: Record<string, string>;
}

const labelReplace = /^label_replace\(([\s\S]*),\s*"([a-zA-Z_]\w*)",\s*"([^"\\]*)",\s*"",\s*""\)$/;

/** Splits `a or b or c` at the top level, outside brackets and strings. */
function splitOr(expr: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let from = 0;
  for (let i = 0; i < expr.length; i += 1) {
    const c = expr[i]!;
    if (quote) {
      if (c === '\\') i += 1;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'" || c === '`') quote = c;
    else if ('([{'.includes(c)) depth += 1;
    else if (')]}'.includes(c)) depth -= 1;
    else if (depth === 0 && /\s/.test(c) && /^\sor\s/.test(expr.slice(i, i + 4))) {
      parts.push(expr.slice(from, i).trim());
      from = i + 4;
      i += 2;
    }
  }
  parts.push(expr.slice(from).trim());
  return parts;
}

/** Each `or` operand, with the constant label its `label_replace(x, "name", "value", "", "")` wrapper adds. */
function parts(expr: string): Part[] {
  return splitOr(expr).map((part) => {
    const match = labelReplace.exec(part);
    return match ? { expr: match[1]!.trim(), labels: { [match[2]!]: match[3]! } } : { expr: part, labels: {} };
  });
}

/**
 * A MetricBackend that answers at once from a function of (expression, time), counting the queries it gets:
 * for tests and for measuring the engine without a metric server. An expression yields one series without
 * labels, as an aggregated indicator query does; the engine's combined form `label_replace(x, "l", "v", "", "")
 * or …` yields one series per operand, labelled as written, with `value` asked about each inner `x`. A series
 * with no value at any step is absent from the answer.
 */
export function createMemoryBackend(options: MemoryBackendOptions = {}): MemoryBackend {
  const value = options.value ?? (() => 1);
  const recorded: RangeQuery[] = [];
  let count = 0;
  return {
    kind: 'memory',
    get queryCount() {
      return count;
    },
    queries: recorded,
    resetCount() {
      count = 0;
      recorded.length = 0;
    },
    queryRange(query, signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (!(query.step > 0) || query.end < query.start) {
        return Promise.reject(new BackendError('bad_query', `invalid range: start ${query.start}, end ${query.end}, step ${query.step}`));
      }
      count += 1;
      if (options.record) recorded.push({ ...query });
      const series: Series[] = [];
      for (const part of parts(query.expr)) {
        const points: { t: number; value: number }[] = [];
        for (let t = query.start; t <= query.end; t += query.step) {
          const v = value(part.expr, t, query.step);
          if (v !== undefined) points.push({ t, value: v });
        }
        if (points.length > 0) series.push({ labels: part.labels, points });
      }
      return Promise.resolve(series);
    },
    close() {
      return Promise.resolve();
    },
  };
}
