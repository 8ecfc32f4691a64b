import Database from 'better-sqlite3';

export type Db = Database.Database;

/** Opens (creating if needed) a burnrate SQLite database: WAL, foreign keys, a busy timeout for the CLI beside the daemon. */
export function openDatabase(path: string): Db {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}

/**
 * Runs `work` as a write transaction that takes the write lock first (BEGIN IMMEDIATE), waiting its turn for
 * the busy timeout. A deferred transaction that reads before it writes cannot take the lock once another
 * connection (the ingest worker, the CLI) has committed since its read: SQLite then fails it at once with
 * "database is locked". Every transaction that writes uses this (or `.immediate()`); lint forbids the others.
 */
export function writeTransaction<T>(db: Db, work: () => T): T {
  return db.transaction(work).immediate();
}

/** {@link writeTransaction} prepared once, for a transaction run often with arguments. */
export function writeTransactionFn<A extends unknown[], R>(db: Db, work: (...args: A) => R): (...args: A) => R {
  const transaction = db.transaction(work);
  return (...args) => transaction.immediate(...args);
}

/**
 * A deferred transaction for work that reads the store and writes only the connection's temp tables: it takes no
 * write lock, so it never waits for (or holds up) another writer.
 */
export function tempTablesTransactionFn<A extends unknown[], R>(db: Db, work: (...args: A) => R): (...args: A) => R {
  const transaction = db.transaction(work);
  return (...args) => transaction.deferred(...args);
}

/** One schema step of one component. Versions start at 1 and never change once released. */
export interface Migration {
  version: number;
  description: string;
  up: string | ((db: Db) => void);
}

/**
 * Applies a component's pending migrations in order, each in its own transaction.
 * Components (bucket ledger, sample store, …) own their tables and migrate them independently.
 */
export function migrate(db: Db, component: string, migrations: readonly Migration[]): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    component TEXT NOT NULL,
    version INTEGER NOT NULL,
    description TEXT NOT NULL,
    applied_at INTEGER NOT NULL,
    PRIMARY KEY (component, version)
  )`);
  const applied = new Set(
    db
      .prepare('SELECT version FROM schema_migrations WHERE component = ?')
      .pluck()
      .all(component) as number[],
  );
  const record = db.prepare(
    'INSERT INTO schema_migrations (component, version, description, applied_at) VALUES (?, ?, ?, ?)',
  );
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(migration.version)) continue;
    writeTransaction(db, () => {
      if (typeof migration.up === 'string') db.exec(migration.up);
      else migration.up(db);
      record.run(component, migration.version, migration.description, Math.floor(Date.now() / 1000));
    });
  }
}
