import type { Expr } from './promql-ast.js';
import type { SampleColumns, SampleReader, StoredSeries } from './sample-store.js';

/** The widest span before a step that any selector of the expression reads, ms (ranges, or the lookback). */
export function widestReach(expr: Expr, lookbackMs: number): number {
  switch (expr.kind) {
    case 'number':
      return 0;
    case 'vector':
      return lookbackMs;
    case 'matrix':
      return expr.rangeMs;
    case 'call':
      return expr.arg.rangeMs;
    case 'labelReplace':
    case 'sum':
    case 'unary':
      return widestReach(expr.expr, lookbackMs);
    case 'binary':
    case 'set':
      return Math.max(widestReach(expr.lhs, lookbackMs), widestReach(expr.rhs, lookbackMs));
  }
}

/**
 * Reads each series once per query: the first read of a series loads the whole span any part of the query can
 * ask for, later reads (the same selector at other windows, as a combined windows query has) are slices of it;
 * a selector's series are looked up once.
 */
export function cachedSampleReader(store: SampleReader, fromMs: number, toMs: number): SampleReader {
  const loaded = new Map<number, SampleColumns>();
  const selected = new Map<string, StoredSeries[]>();
  return {
    *selectSeries(matchers) {
      const key = JSON.stringify(matchers.map((m) => [m.name, m.type, m.value]));
      let series = selected.get(key);
      if (series === undefined) {
        series = yield* store.selectSeries(matchers);
        selected.set(key, series);
      }
      return series;
    },
    loadSamples(seriesId, from, to) {
      if (from < fromMs || to > toMs) return store.loadSamples(seriesId, from, to);
      let columns = loaded.get(seriesId);
      if (columns === undefined) {
        columns = store.loadSamples(seriesId, fromMs, toMs);
        loaded.set(seriesId, columns);
      }
      const first = lowerBound(columns.t, from);
      const end = lowerBound(columns.t, to + 1);
      return { t: columns.t.subarray(first, end), value: columns.value.subarray(first, end), stale: columns.stale.subarray(first, end) };
    },
  };
}

/** First index whose time is ≥ t. */
export function lowerBound(times: Float64Array, t: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((times[middle] as number) < t) low = middle + 1;
    else high = middle;
  }
  return low;
}
