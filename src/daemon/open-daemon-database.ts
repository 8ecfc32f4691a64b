import { acquireDaemonLock, DaemonLockError, type DaemonLock } from '../store/daemon-lock.js';
import { openDatabase, type Db } from '../store/database.js';
import { explainDatabaseOpenError } from '../store/database-open-error.js';
import { watchDatabaseIdentity, type DatabaseIdentity } from '../store/database-identity.js';

/** The daemon could not start; the message is one line naming the file and why. */
export class DaemonStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DaemonStartError';
  }
}

export interface DaemonDatabase {
  db: Db;
  /** Held until stop: no second daemon on this database. */
  lock: DaemonLock;
  /** Whether the file on disk is still the one opened. */
  identity: DatabaseIdentity;
}

const noLock: DaemonLock = { path: '', release: () => undefined };

/**
 * Opens the database for the daemon: writable, locked against a second daemon, its identity remembered.
 * Every failure is a {@link DaemonStartError} with nothing left open.
 */
export function openDaemonDatabase(path: string, now: () => number): DaemonDatabase {
  let db: Db;
  try {
    db = openDatabase(path);
  } catch (cause) {
    throw new DaemonStartError(explainDatabaseOpenError(path, cause));
  }
  if (path === ':memory:' || path === '') return { db, lock: noLock, identity: watchDatabaseIdentity(path) };
  try {
    if (db.readonly) throw Object.assign(new Error('read-only'), { code: 'SQLITE_READONLY' });
    const identity = watchDatabaseIdentity(path);
    const lock = acquireDaemonLock(path, db, now);
    return { db, lock, identity };
  } catch (cause) {
    db.close();
    if (cause instanceof DaemonLockError) throw new DaemonStartError(cause.message);
    throw new DaemonStartError(explainDatabaseOpenError(path, cause));
  }
}
