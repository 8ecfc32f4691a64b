/**
 * What went wrong with the database, from better-sqlite3's `SqliteError.code` (SQLite's primary or extended
 * result code name, e.g. `SQLITE_FULL`, `SQLITE_BUSY_SNAPSHOT`, `SQLITE_IOERR_WRITE`). These are faults of the
 * storage, not of a request: the same request may succeed later, so HTTP answers them 503 with `Retry-After`
 * (pushers treat 4xx as permanent and drop the data).
 */
export const storageFaults = ['full', 'busy', 'corrupt', 'read_only', 'io'] as const;
export type StorageFault = (typeof storageFaults)[number];

const byPrimaryCode: Readonly<Record<string, StorageFault>> = {
  SQLITE_FULL: 'full',
  SQLITE_BUSY: 'busy',
  SQLITE_LOCKED: 'busy',
  SQLITE_CORRUPT: 'corrupt',
  SQLITE_NOTADB: 'corrupt',
  SQLITE_READONLY: 'read_only',
  SQLITE_IOERR: 'io',
  SQLITE_CANTOPEN: 'io',
  SQLITE_PROTOCOL: 'io',
};

/** The storage fault behind `error`, or undefined when it is no SQLite error of the storage (a constraint, a bug). */
export function classifySqliteError(error: unknown): StorageFault | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return undefined;
  // Extended codes name their primary first: SQLITE_IOERR_WRITE, SQLITE_READONLY_DBMOVED, SQLITE_BUSY_SNAPSHOT.
  const primary = /^SQLITE_[A-Z]+/.exec(code)?.[0] ?? code;
  return byPrimaryCode[primary];
}

export interface StorageFaultAnswer {
  status: 503;
  code: `storage_${StorageFault}`;
  message: string;
  /** Seconds a client should wait before trying again. */
  retryAfter: number;
}

const answers: Readonly<Record<StorageFault, { message: string; retryAfter: number }>> = {
  full: { message: 'the database is full (disk or size limit): nothing was stored; retry later', retryAfter: 60 },
  busy: { message: 'the database is busy (locked by another writer): nothing was stored; retry shortly', retryAfter: 1 },
  corrupt: { message: 'the database is damaged: nothing was stored; the server log has the details', retryAfter: 300 },
  read_only: { message: 'the database is read-only: nothing was stored; retry later', retryAfter: 60 },
  io: { message: 'the database could not be read or written (I/O error): nothing was stored; retry later', retryAfter: 30 },
};

/** How a storage fault is answered over HTTP: 503, a `storage_*` code, a message without internals, `Retry-After`. */
export function storageFaultAnswer(fault: StorageFault): StorageFaultAnswer {
  const { message, retryAfter } = answers[fault];
  return { status: 503, code: `storage_${fault}`, message, retryAfter };
}

/** A one-line description for logs and the CLI: `database is full (SQLITE_FULL): database or disk is full`. */
export function describeStorageFault(error: unknown): string | undefined {
  const fault = classifySqliteError(error);
  if (fault === undefined) return undefined;
  const { code, message } = error as { code: string; message?: string };
  return `database ${fault === 'read_only' ? 'is read-only' : fault === 'io' ? 'I/O error' : `is ${fault}`} (${code}): ${message ?? ''}`.trimEnd();
}
