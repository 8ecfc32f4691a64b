import { migrate, type Db } from '../../store/database.js';
import { parseExposition, type ExpositionFormat } from './exposition-parser.js';
import { defaultIngestLimits, perPushLimitError, storeLimitError, type IngestLimits } from './ingest-limits.js';
import { countRejection, judgeSample, mergeRejections, noRejections, type Newest, type Rejections, type StoredValue } from './ingest-rules.js';
import { labelsKey, metricNameLabel, type Labels } from './labels.js';
import type { CompiledMatcher } from './matchers.js';
import { SeriesIndex } from './series-index.js';
import { sampleStoreComponent, sampleStoreMigrations } from './store-schema.js';

export interface IngestOptions {
  format?: ExpositionFormat;
  /** Milliseconds for samples without a timestamp; without it such a sample is rejected. */
  defaultTimestampMs?: number;
  /** The ingesting clock, ms: samples further ahead of it than the future tolerance are rejected. */
  nowMs?: number;
  /**
   * A file (the CLI) rather than a push: more samples than `samplesPerPush` are stored in batches of that size, each
   * its own transaction, after the whole text has parsed and the series limits hold (a rerun after a crash is
   * harmless: identical samples are accepted silently).
   */
  inBatches?: boolean;
}

export interface IngestCounts {
  /** Distinct series in the input. */
  series: number;
  /** Samples accepted: stored, or identical to the stored sample at their time. */
  samples: number;
  /** Samples refused by the append rules (see ingest-rules.ts); the others of the push are stored. */
  rejected: Rejections;
}

/** A sample written directly; `stale` marks a Prometheus staleness marker (its value is ignored). */
export interface RawSample {
  labels: Labels;
  t: number;
  value: number;
  stale?: boolean;
}

export interface StoredSeries {
  id: number;
  labels: Labels;
}

/** One series' samples in time order; `stale[i]` is 1 for staleness markers. */
export interface SampleColumns {
  t: Float64Array;
  value: Float64Array;
  stale: Uint8Array;
}

/** What the evaluator reads: series by matchers, then each one's samples over a span. */
export interface SampleReader {
  /** Series whose labels satisfy every matcher, in no particular order. */
  selectSeries(matchers: readonly CompiledMatcher[]): StoredSeries[];
  /** Samples of one series with fromMs ≤ t ≤ toMs. */
  loadSamples(seriesId: number, fromMs: number, toMs: number): SampleColumns;
}

export interface SampleStore extends SampleReader {
  ingest(text: string, options: IngestOptions): IngestCounts;
  append(samples: readonly RawSample[], options?: { nowMs?: number }): IngestCounts;
  /** Deletes samples older than `tMs` (and series left empty); returns how many samples went. */
  deleteBefore(tMs: number): number;
  /** Series stored. */
  seriesCount(): number;
}

const staleValue = 'stale';

function toStored(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}

/** A push ready to store: its distinct series and its samples, columnar (sample i of `series[seriesIndex[i]]`). */
interface Batch {
  series: ReadonlyArray<{ key: string; labels: Labels }>;
  seriesIndex: readonly number[];
  t: readonly number[];
  value: readonly StoredValue[];
}

export function createSampleStore(db: Db, limits: IngestLimits = defaultIngestLimits): SampleStore {
  migrate(db, sampleStoreComponent, sampleStoreMigrations);
  const index = SeriesIndex.of(db);
  const findSeries = db.prepare<[string], number>('SELECT id FROM sample_series WHERE labels_key = ?').pluck();
  const insertSeries = db.prepare<[string, string]>('INSERT INTO sample_series (metric_name, labels_key) VALUES (?, ?)');
  const insertSample = db.prepare<[number, number, StoredValue]>('INSERT INTO samples (series_id, t, value) VALUES (?, ?, ?)');
  const newestSample = db
    .prepare<[number], [number, StoredValue]>('SELECT t, value FROM samples WHERE series_id = ? ORDER BY t DESC LIMIT 1')
    .raw();
  const seriesIds = db.prepare<[], number>('SELECT id FROM sample_series').pluck();
  const deleteOld = db.prepare<[number, number]>('DELETE FROM samples WHERE series_id = ? AND t < ?');
  const emptySeries = db
    .prepare<[], number>('SELECT id FROM sample_series WHERE NOT EXISTS (SELECT 1 FROM samples WHERE samples.series_id = sample_series.id)')
    .pluck();
  const deleteSeries = db.prepare<[number]>('DELETE FROM sample_series WHERE id = ?');
  const rangeScan = db
    .prepare<[number, number, number], [number, StoredValue]>('SELECT t, value FROM samples WHERE series_id = ? AND t >= ? AND t <= ? ORDER BY t')
    .raw();

  // Samples of a series in time order (stable), so that only the stored history decides what is out of order.
  const timeOrder = (batch: Batch): number[] =>
    Array.from(batch.t.keys()).sort(
      (a, b) => (batch.seriesIndex[a] as number) - (batch.seriesIndex[b] as number) || (batch.t[a] as number) - (batch.t[b] as number) || a - b,
    );

  const storeBatch = db.transaction((batch: Batch, order: readonly number[], nowMs: number | undefined) => {
    const ids = batch.series.map((s) => index.idOf(s.key) ?? findSeries.get(s.key));
    const added = ids.filter((id) => id === undefined).length;
    const stored = index.size;
    if (added > 0 && stored + added > limits.series) throw storeLimitError(limits.series, stored, added);
    const newest: Array<Newest | undefined> = ids.map((id) => {
      const row = id === undefined ? undefined : newestSample.get(id);
      return row && { t: row[0], value: row[1] };
    });
    const created: Array<{ id: number; key: string }> = [];
    const rejected = noRejections();
    let accepted = 0;
    for (const i of order) {
      const s = batch.seriesIndex[i] as number;
      const t = batch.t[i] as number;
      const value = batch.value[i] as StoredValue;
      const { key, labels } = batch.series[s]!;
      const verdict = judgeSample(newest[s], t, value, nowMs);
      if (verdict === 'identical') accepted += 1;
      if (verdict !== 'append') {
        if (verdict !== 'identical') countRejection(rejected, verdict, labels);
        continue;
      }
      let id = ids[s];
      if (id === undefined) {
        id = Number(insertSeries.run(labels[metricNameLabel] ?? '', key).lastInsertRowid);
        ids[s] = id;
        created.push({ id, key });
      }
      insertSample.run(id, t, value);
      newest[s] = { t, value };
      accepted += 1;
    }
    return { counts: { series: batch.series.length, samples: accepted, rejected }, created };
  });

  const store = (batch: Batch, nowMs: number | undefined): IngestCounts => {
    const order = timeOrder(batch);
    const total: IngestCounts = { series: batch.series.length, samples: 0, rejected: noRejections() };
    for (let from = 0; from < order.length || from === 0; from += limits.samplesPerPush) {
      const { counts, created } = storeBatch(batch, order.slice(from, from + limits.samplesPerPush), nowMs);
      // Only committed series enter the index.
      for (const { id, key } of created) index.add(id, key);
      total.samples += counts.samples;
      total.rejected = mergeRejections(total.rejected, counts.rejected);
    }
    return total;
  };

  const deleteOlder = db.transaction((tMs: number): { deleted: number; emptied: number[] } => {
    let deleted = 0;
    for (const id of seriesIds.all()) deleted += deleteOld.run(id, tMs).changes;
    const emptied = emptySeries.all();
    for (const id of emptied) deleteSeries.run(id);
    return { deleted, emptied };
  });

  return {
    ingest(text, options) {
      const maxSamples = options.inBatches === true ? Number.POSITIVE_INFINITY : limits.samplesPerPush;
      const parsed = parseExposition(text, { ...options, maxSeries: limits.seriesPerPush, maxSamples });
      const value = parsed.value.map(toStored);
      return store({ series: parsed.series, seriesIndex: parsed.seriesIndex, t: parsed.t, value }, options.nowMs);
    },
    append(samples, options = {}) {
      if (samples.length > limits.samplesPerPush) throw perPushLimitError('samplesPerPush', limits.samplesPerPush);
      const positions = new Map<string, number>();
      const series: Array<{ key: string; labels: Labels }> = [];
      const seriesIndex = samples.map((sample) => {
        const key = labelsKey(sample.labels);
        let position = positions.get(key);
        if (position === undefined) {
          if (series.length >= limits.seriesPerPush) throw perPushLimitError('seriesPerPush', limits.seriesPerPush);
          position = series.length;
          positions.set(key, position);
          series.push({ key, labels: sample.labels });
        }
        return position;
      });
      const t = samples.map((sample) => sample.t);
      const value = samples.map((sample) => (sample.stale === true ? staleValue : toStored(sample.value)));
      return store({ series, seriesIndex, t, value }, options.nowMs);
    },
    deleteBefore(tMs) {
      const { deleted, emptied } = deleteOlder(tMs);
      for (const id of emptied) index.remove(id);
      return deleted;
    },
    seriesCount: () => index.size,
    selectSeries: (matchers) => index.select(matchers),
    loadSamples(seriesId, fromMs, toMs) {
      const rows = rangeScan.all(seriesId, fromMs, toMs);
      const columns: SampleColumns = {
        t: new Float64Array(rows.length),
        value: new Float64Array(rows.length),
        stale: new Uint8Array(rows.length),
      };
      for (let i = 0; i < rows.length; i++) {
        const [t, value] = rows[i] as [number, StoredValue];
        columns.t[i] = t;
        if (value === staleValue) {
          columns.stale[i] = 1;
          columns.value[i] = Number.NaN;
        } else columns.value[i] = value === null ? Number.NaN : Number(value);
      }
      return columns;
    },
  };
}
