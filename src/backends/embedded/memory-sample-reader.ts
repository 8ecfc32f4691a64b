import type { Series } from '../backend.js';
import { lowerBound } from './cached-sample-reader.js';
import { matchesAll } from '../../labels/matchers.js';
import type { SampleColumns, SampleReader, StoredSeries } from './sample-store.js';

/** Series tested between yields of a selection. */
const selectSlice = 512;

/**
 * Samples already fetched (from any backend), readable as the evaluator reads the sample store. A series' columns
 * are built when it is first read, so that building the reader does not hold the event loop over many series.
 */
export function memorySampleReader(series: readonly Series[]): SampleReader {
  const columnsOf = new Map<number, SampleColumns>();
  const columns = (id: number): SampleColumns => {
    let built = columnsOf.get(id);
    if (built === undefined) {
      const { points } = series[id]!;
      built = { t: Float64Array.from(points, (p) => Math.round(p.t * 1000)), value: Float64Array.from(points, (p) => p.value), stale: new Uint8Array(points.length) };
      columnsOf.set(id, built);
    }
    return built;
  };
  return {
    *selectSeries(matchers) {
      const selected: StoredSeries[] = [];
      for (let id = 0; id < series.length; id++) {
        const { labels } = series[id]!;
        if (matchesAll(labels, matchers)) selected.push({ id, labels });
        if (id % selectSlice === selectSlice - 1) yield;
      }
      return selected;
    },
    loadSamples(seriesId, fromMs, toMs) {
      const { t, value, stale } = columns(seriesId);
      const from = lowerBound(t, fromMs);
      const to = lowerBound(t, toMs + 1);
      return { t: t.subarray(from, to), value: value.subarray(from, to), stale: stale.subarray(from, to) };
    },
  };
}
