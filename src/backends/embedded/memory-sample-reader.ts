import type { Series } from '../backend.js';
import { lowerBound } from './cached-sample-reader.js';
import { matchesAll } from './matchers.js';
import type { SampleColumns, SampleReader, StoredSeries } from './sample-store.js';

/** Samples already fetched (from any backend), readable as the evaluator reads the sample store. */
export function memorySampleReader(series: readonly Series[]): SampleReader {
  const stored: Array<StoredSeries & { columns: SampleColumns }> = series.map((one, id) => ({
    id,
    labels: one.labels,
    columns: {
      t: Float64Array.from(one.points, (p) => Math.round(p.t * 1000)),
      value: Float64Array.from(one.points, (p) => p.value),
      stale: new Uint8Array(one.points.length),
    },
  }));
  return {
    selectSeries: (matchers) => stored.filter((one) => matchesAll(one.labels, matchers)).map(({ id, labels }) => ({ id, labels })),
    loadSamples(seriesId, fromMs, toMs) {
      const { columns } = stored[seriesId]!;
      const from = lowerBound(columns.t, fromMs);
      const to = lowerBound(columns.t, toMs + 1);
      return { t: columns.t.subarray(from, to), value: columns.value.subarray(from, to), stale: columns.stale.subarray(from, to) };
    },
  };
}
