import { migrate, tempTablesTransactionFn, writeTransactionFn, type Db } from '../../store/database.js';
import { writeAtOnce, type WriteTurn } from '../../store/write-turn.js';
import { parseExposition, type ExpositionFormat } from './exposition-parser.js';
import { defaultIngestLimits, perPushLimitError, storeLimitError, type IngestLimits } from './ingest-limits.js';
import { mergeRejections, noRejections, type Newest, type Rejections, type StoredValue } from './ingest-rules.js';
import { judgeBatch, timeOrder, type Batch, type Judged } from './judge-batch.js';
import { labelsKey, metricNameLabel, type Labels } from './labels.js';
import type { CompiledMatcher } from '../../labels/matchers.js';
import { SeriesIndex } from './series-index.js';
import { giveTurn, runCooperatively, turnIsOver, type Work } from './cooperative.js';
import { createStagedCommit } from './staged-commit.js';
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
  /** Series whose labels satisfy every matcher, in no particular order (cooperative work: over many series it yields). */
  selectSeries(matchers: readonly CompiledMatcher[]): Work<StoredSeries[]>;
  /** Samples of one series with fromMs ≤ t ≤ toMs. */
  loadSamples(seriesId: number, fromMs: number, toMs: number): SampleColumns;
}

export interface SampleStore extends SampleReader {
  ingest(text: string, options: IngestOptions): IngestCounts;
  append(samples: readonly RawSample[], options?: { nowMs?: number }): IngestCounts;
  /** Deletes samples older than `tMs` (and series left empty), giving the event loop turns; returns how many samples went. */
  deleteBefore(tMs: number): Promise<number>;
  /** Series stored. */
  seriesCount(): number;
  /** Takes in the series other connections added, giving the event loop turns (before a query, after a worker's push). */
  catchUp(): Promise<void>;
}

const staleValue = 'stale';

function toStored(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}

/** How the store's writes take turns with another thread writing the same database (see store/write-turn.ts). */
export interface SampleStoreTurns {
  /** Around each ingest's locked copy, on a thread that may block (the ingest worker). */
  blocking?: <T>(work: () => T) => T;
  /** Around each slice of retention's deletes, on the event loop. */
  loop?: WriteTurn;
}

export function createSampleStore(db: Db, limits: IngestLimits = defaultIngestLimits, turns: SampleStoreTurns = {}): SampleStore {
  const blocking = turns.blocking ?? (<T>(work: () => T): T => work());
  const loop = turns.loop ?? writeAtOnce;
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

  const staged = createStagedCommit(db);

  // The ids and newest samples the batch is judged against.
  const snapshotOf = (batch: Batch): { ids: Array<number | undefined>; newest: Array<Newest | undefined> } => {
    const ids = batch.series.map((s) => index.idOf(s.key) ?? findSeries.get(s.key));
    const newest = ids.map((id) => {
      const row = id === undefined ? undefined : newestSample.get(id);
      return row && { t: row[0], value: row[1] };
    });
    return { ids, newest };
  };
  const addedBy = (ids: ReadonlyArray<number | undefined>): number => ids.filter((id) => id === undefined).length;
  const countsOf = (batch: Batch, judged: Judged): IngestCounts => ({ series: batch.series.length, samples: judged.accepted, rejected: judged.rejected });

  // Judged against a read snapshot and staged without the write lock; then checked and copied under it.
  const judgeAndStage = tempTablesTransactionFn(db, (batch: Batch, order: readonly number[], nowMs: number | undefined) => {
    const { ids, newest } = snapshotOf(batch);
    const added = addedBy(ids);
    if (added > 0 && index.size + added > limits.series) throw storeLimitError(limits.series, index.size, added);
    const judged = judgeBatch(batch, order, ids, [...newest], nowMs);
    staged.stage(batch, ids, newest, judged);
    return { judged, added };
  });

  // The whole judgement under the write lock: when another writer touched the batch's series meanwhile.
  const storeLocked = writeTransactionFn(db, (batch: Batch, order: readonly number[], nowMs: number | undefined) => {
    const { ids, newest } = snapshotOf(batch);
    const added = addedBy(ids);
    if (added > 0 && index.size + added > limits.series) throw storeLimitError(limits.series, index.size, added);
    const judged = judgeBatch(batch, order, ids, newest, nowMs);
    const created: Array<{ id: number; key: string }> = [];
    for (const s of judged.created) {
      const { key, labels } = batch.series[s]!;
      const id = Number(insertSeries.run(labels[metricNameLabel] ?? '', key).lastInsertRowid);
      ids[s] = id;
      created.push({ id, key });
    }
    for (const i of judged.appended) insertSample.run(ids[batch.seriesIndex[i] as number] as number, batch.t[i] as number, batch.value[i] as StoredValue);
    return { counts: countsOf(batch, judged), created };
  });

  const storeChunk = (batch: Batch, order: readonly number[], nowMs: number | undefined): { counts: IngestCounts; created: Array<{ id: number; key: string }> } => {
    try {
      const { judged, added } = judgeAndStage(batch, order, nowMs);
      const created = blocking(() => staged.commit(added, limits.series));
      if (created !== 'changed') return { counts: countsOf(batch, judged), created };
      return blocking(() => storeLocked(batch, order, nowMs));
    } finally {
      staged.clear();
    }
  };

  const store = (batch: Batch, nowMs: number | undefined): IngestCounts => {
    const order = timeOrder(batch);
    const total: IngestCounts = { series: batch.series.length, samples: 0, rejected: noRejections() };
    for (let from = 0; from < order.length || from === 0; from += limits.samplesPerPush) {
      const { counts, created } = storeChunk(batch, order.slice(from, from + limits.samplesPerPush), nowMs);
      // Only committed series enter the index.
      for (const { id, key } of created) index.add(id, key);
      total.samples += counts.samples;
      total.rejected = mergeRejections(total.rejected, counts.rejected);
    }
    return total;
  };

  // Series at a time, in transactions that end when the time slice does: retention never holds the event loop long.
  const deleteSome = writeTransactionFn(db, (ids: readonly number[], from: number, tMs: number): { next: number; deleted: number } => {
    let deleted = 0;
    let next = from;
    while (next < ids.length && (next === from || !turnIsOver())) deleted += deleteOld.run(ids[next++] as number, tMs).changes;
    return { next, deleted };
  });
  const deleteEmptied = writeTransactionFn(db, (): number[] => {
    const emptied = emptySeries.all();
    for (const id of emptied) deleteSeries.run(id);
    return emptied;
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
    async deleteBefore(tMs) {
      const ids = seriesIds.all();
      let deleted = 0;
      for (let next = 0; next < ids.length; ) {
        const part = await loop.run(() => deleteSome(ids, next, tMs));
        deleted += part.deleted;
        next = part.next;
        if (turnIsOver()) await giveTurn();
      }
      for (const id of await loop.run(() => deleteEmptied())) index.remove(id);
      return deleted;
    },
    seriesCount: () => index.size,
    catchUp: () => runCooperatively(index.catchUp()),
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
