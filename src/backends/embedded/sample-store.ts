import { migrate, type Db } from '../../store/database.js';
import { parseExposition, type ExpositionFormat } from './exposition-parser.js';
import { labelsKey, metricNameLabel, type Labels } from './labels.js';
import { matchesAll, type CompiledMatcher } from './matchers.js';
import { sampleStoreComponent, sampleStoreMigrations } from './store-schema.js';

export interface IngestOptions {
  format?: ExpositionFormat;
  /** Milliseconds for samples without a timestamp; without it such a sample is rejected. */
  defaultTimestampMs?: number;
}

export interface IngestCounts {
  /** Distinct series in the input. */
  series: number;
  samples: number;
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
  append(samples: readonly RawSample[]): IngestCounts;
  /** Deletes samples older than `tMs` (and series left empty); returns how many samples went. */
  deleteBefore(tMs: number): number;
}

const staleValue = 'stale';

function toStored(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}

export function createSampleStore(db: Db): SampleStore {
  migrate(db, sampleStoreComponent, sampleStoreMigrations);
  const findSeries = db.prepare<[string], number>('SELECT id FROM sample_series WHERE labels_key = ?').pluck();
  const insertSeries = db.prepare<[string, string]>('INSERT INTO sample_series (metric_name, labels_key) VALUES (?, ?)');
  const upsertSample = db.prepare<[number, number, number | string | null]>(
    'INSERT OR REPLACE INTO samples (series_id, t, value) VALUES (?, ?, ?)',
  );
  const allSeries = db.prepare<[], [number, string]>('SELECT id, labels_key FROM sample_series').raw();
  const seriesByName = db
    .prepare<[string], [number, string]>('SELECT id, labels_key FROM sample_series WHERE metric_name = ?')
    .raw();
  const seriesIds = db.prepare<[], number>('SELECT id FROM sample_series').pluck();
  const deleteOld = db.prepare<[number, number]>('DELETE FROM samples WHERE series_id = ? AND t < ?');
  const deleteEmptySeries = db.prepare(
    'DELETE FROM sample_series WHERE NOT EXISTS (SELECT 1 FROM samples WHERE samples.series_id = sample_series.id)',
  );
  const rangeScan = db
    .prepare<[number, number, number], [number, number | string | null]>(
      'SELECT t, value FROM samples WHERE series_id = ? AND t >= ? AND t <= ? ORDER BY t',
    )
    .raw();

  const seriesId = (key: string, labels: Labels): number => {
    const existing = findSeries.get(key);
    if (existing !== undefined) return existing;
    return Number(insertSeries.run(labels[metricNameLabel] ?? '', key).lastInsertRowid);
  };

  const ingestParsed = db.transaction((text: string, options: IngestOptions): IngestCounts => {
    const parsed = parseExposition(text, options);
    const ids = parsed.series.map((s) => seriesId(s.key, s.labels));
    const { seriesIndex, t, value } = parsed;
    for (let i = 0; i < t.length; i++) {
      upsertSample.run(ids[seriesIndex[i] as number] as number, t[i] as number, toStored(value[i] as number));
    }
    return { series: ids.length, samples: t.length };
  });

  const appendRaw = db.transaction((samples: readonly RawSample[]): IngestCounts => {
    const ids = new Map<string, number>();
    for (const sample of samples) {
      const key = labelsKey(sample.labels);
      let id = ids.get(key);
      if (id === undefined) {
        id = seriesId(key, sample.labels);
        ids.set(key, id);
      }
      upsertSample.run(id, sample.t, sample.stale === true ? staleValue : toStored(sample.value));
    }
    return { series: ids.size, samples: samples.length };
  });

  const deleteOlder = db.transaction((tMs: number): number => {
    let deleted = 0;
    for (const id of seriesIds.all()) deleted += deleteOld.run(id, tMs).changes;
    deleteEmptySeries.run();
    return deleted;
  });

  return {
    ingest: (text, options) => ingestParsed(text, options),
    append: (samples) => appendRaw(samples),
    deleteBefore: (tMs) => deleteOlder(tMs),
    selectSeries(matchers) {
      const byName = matchers.find((m) => m.name === metricNameLabel && m.type === '=');
      const rows = byName ? seriesByName.all(byName.value) : allSeries.all();
      const result: StoredSeries[] = [];
      for (const [id, key] of rows) {
        const labels = Object.fromEntries(JSON.parse(key) as Array<[string, string]>) as Labels;
        if (matchesAll(labels, matchers)) result.push({ id, labels });
      }
      return result;
    },
    loadSamples(seriesId, fromMs, toMs) {
      const rows = rangeScan.all(seriesId, fromMs, toMs);
      const columns: SampleColumns = {
        t: new Float64Array(rows.length),
        value: new Float64Array(rows.length),
        stale: new Uint8Array(rows.length),
      };
      for (let i = 0; i < rows.length; i++) {
        const [t, value] = rows[i] as [number, number | string | null];
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
