import type { Migration } from '../../store/database.js';

/** The sample store's tables, migrated under the component name `samples`. */
export const sampleStoreComponent = 'samples';

export const sampleStoreMigrations: readonly Migration[] = [
  {
    version: 1,
    description: 'series and samples tables',
    up: `
      CREATE TABLE sample_series (
        id INTEGER PRIMARY KEY,
        metric_name TEXT NOT NULL,
        -- canonical JSON of the sorted [name, value] pairs, __name__ included: one row per label set
        labels_key TEXT NOT NULL UNIQUE
      );
      CREATE INDEX sample_series_by_metric_name ON sample_series (metric_name);
      -- value is REAL; NULL stands for NaN (SQLite cannot store it) and the text 'stale' for a staleness marker.
      CREATE TABLE samples (
        series_id INTEGER NOT NULL REFERENCES sample_series (id) ON DELETE CASCADE,
        t INTEGER NOT NULL,
        value REAL,
        PRIMARY KEY (series_id, t)
      ) WITHOUT ROWID;
    `,
  },
];
