import { writeTransactionFn, type Db } from '../../store/database.js';
import { storeLimitError } from './ingest-limits.js';
import type { Newest } from './ingest-rules.js';
import type { Batch, Judged } from './judge-batch.js';
import { metricNameLabel } from './labels.js';

/**
 * Stores a judged batch while holding the database's write lock only for a few bulk statements: the samples are
 * first written row by row into the connection's private temp tables (no lock on the store), then checked and
 * copied in one short transaction. Other writers (the daemon's gate log, evaluations, the CLI) wait for that
 * lock synchronously, so its length is what a push costs them.
 */
export interface StagedCommit {
  /** Writes (call it inside a transaction, for speed) the batch's series (with the id and newest time judged from) and its appended samples to the staging tables. */
  stage(batch: Batch, ids: ReadonlyArray<number | undefined>, newest: ReadonlyArray<Newest | undefined>, judged: Judged): void;
  /**
   * Under the write lock: 'changed' (nothing written) when another writer touched these series since they were
   * read, else creates the new series, copies the samples and returns the created series. Throws
   * IngestLimitError when the new series would take the store past `seriesLimit`.
   */
  commit(added: number, seriesLimit: number): Array<{ id: number; key: string }> | 'changed';
  /** Empties the staging tables. */
  clear(): void;
}

export function createStagedCommit(db: Db): StagedCommit {
  db.exec(`
    CREATE TEMP TABLE IF NOT EXISTS ingest_series (
      pos INTEGER PRIMARY KEY, id INTEGER, key TEXT NOT NULL, name TEXT NOT NULL, newest_t INTEGER, created INTEGER NOT NULL
    );
    CREATE TEMP TABLE IF NOT EXISTS ingest_samples (pos INTEGER NOT NULL, t INTEGER NOT NULL, value);
  `);
  const insertSeries = db.prepare<[number, number | null, string, string, number | null, number]>(
    'INSERT INTO temp.ingest_series (pos, id, key, name, newest_t, created) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const insertSample = db.prepare<[number, number, unknown]>('INSERT INTO temp.ingest_samples (pos, t, value) VALUES (?, ?, ?)');
  const movedOn = db
    .prepare<[], number>('SELECT count(*) FROM temp.ingest_series s WHERE s.id IS NOT NULL AND s.newest_t IS NOT (SELECT max(t) FROM samples WHERE series_id = s.id)')
    .pluck();
  const createdElsewhere = db
    .prepare<[], number>('SELECT count(*) FROM temp.ingest_series s WHERE s.id IS NULL AND EXISTS (SELECT 1 FROM sample_series WHERE labels_key = s.key)')
    .pluck();
  const storedSeries = db.prepare<[], number>('SELECT count(*) FROM sample_series').pluck();
  const createSeries = db.prepare('INSERT INTO sample_series (metric_name, labels_key) SELECT name, key FROM temp.ingest_series WHERE created = 1 ORDER BY pos');
  const learnIds = db.prepare('UPDATE temp.ingest_series SET id = (SELECT id FROM sample_series WHERE labels_key = ingest_series.key) WHERE created = 1');
  const copySamples = db.prepare(
    'INSERT INTO samples (series_id, t, value) SELECT s.id, x.t, x.value FROM temp.ingest_samples x JOIN temp.ingest_series s ON s.pos = x.pos ORDER BY x.rowid',
  );
  const createdSeries = db.prepare<[], { id: number; key: string }>('SELECT id, key FROM temp.ingest_series WHERE created = 1 ORDER BY pos');
  const clearSeries = db.prepare('DELETE FROM temp.ingest_series');
  const clearSamples = db.prepare('DELETE FROM temp.ingest_samples');

  const clear = (): void => {
    clearSeries.run();
    clearSamples.run();
  };
  // Writing only temp tables takes no write lock on the store.
  const stage = (batch: Batch, ids: ReadonlyArray<number | undefined>, newest: ReadonlyArray<Newest | undefined>, judged: Judged): void => {
    clear();
    const created = new Set(judged.created);
    batch.series.forEach((series, s) => {
      insertSeries.run(s, ids[s] ?? null, series.key, series.labels[metricNameLabel] ?? '', newest[s]?.t ?? null, created.has(s) ? 1 : 0);
    });
    for (const i of judged.appended) insertSample.run(batch.seriesIndex[i] as number, batch.t[i] as number, batch.value[i]);
  };
  const commit = writeTransactionFn(db, (added: number, seriesLimit: number): Array<{ id: number; key: string }> | 'changed' => {
    if (movedOn.get() !== 0 || createdElsewhere.get() !== 0) return 'changed';
    const stored = storedSeries.get() as number;
    if (added > 0 && stored + added > seriesLimit) throw storeLimitError(seriesLimit, stored, added);
    createSeries.run();
    learnIds.run();
    copySamples.run();
    return createdSeries.all();
  });
  return { stage, commit, clear };
}
