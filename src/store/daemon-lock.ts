import { hostname } from 'node:os';
import { readFileSync, realpathSync } from 'node:fs';
import Database from 'better-sqlite3';
import { migrate, type Db } from './database.js';

/** Who holds a database: recorded in the database by the daemon that took its lock. */
export interface LockHolder {
  pid: number;
  hostname: string;
  /** Unix seconds. */
  startedAt: number;
}

/** Another daemon runs on the database, or the lock file cannot be made. */
export class DaemonLockError extends Error {
  constructor(
    message: string,
    readonly holder?: LockHolder,
  ) {
    super(message);
    this.name = 'DaemonLockError';
  }
}

export interface DaemonLock {
  /** The lock file beside the database. */
  readonly path: string;
  /** Lets the next daemon start; idempotent. */
  release(): void;
}

const migrations = [
  {
    version: 1,
    description: 'the daemon holding the database lock',
    up: `CREATE TABLE daemon_holder (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      pid INTEGER NOT NULL,
      hostname TEXT NOT NULL,
      started_at INTEGER NOT NULL
    )`,
  },
];

/**
 * One daemon per database. The lock is an exclusive SQLite lock (an OS file lock) on `<database>.lock`, held
 * for the process's life: the kernel drops it when the process ends however it ends, so a killed daemon never
 * leaves a stale lock, and a lock is never taken over from a live daemon. The holder's pid, host and start
 * time are written to the database so the one refused can say who holds it. The CLI takes no lock: its
 * writes are short transactions beside the daemon's, waiting on SQLite's busy timeout.
 */
export function acquireDaemonLock(databasePath: string, db: Db, now: () => number): DaemonLock {
  const path = `${realpathSync(databasePath)}.lock`;
  let lockDb: Database.Database;
  try {
    lockDb = new Database(path, { timeout: 0 });
  } catch (cause) {
    throw new DaemonLockError(`cannot create the daemon lock file ${path}: ${(cause as Error).message}`);
  }
  try {
    lockDb.pragma('journal_mode = MEMORY');
    lockDb.pragma('locking_mode = EXCLUSIVE');
    // A write takes the exclusive lock; in exclusive locking mode it is kept until the connection closes.
    lockDb.pragma(`user_version = ${process.pid}`);
  } catch (cause) {
    lockDb.close();
    if (isBusy(cause)) {
      const holder = readHolder(db);
      throw new DaemonLockError(`${heldBy(holder)} is using ${databasePath}: stop it first, or give this daemon its own --db`, holder);
    }
    throw new DaemonLockError(`cannot lock ${path}: ${(cause as Error).message}`);
  }
  const holder: LockHolder = { pid: process.pid, hostname: hostname(), startedAt: Math.floor(now()) };
  // The lock file can be deleted under a running daemon; its record in the database still names it.
  const recorded = readHolder(db);
  if (recorded !== undefined && stillRunning(recorded)) {
    lockDb.close();
    throw new DaemonLockError(`${heldBy(recorded)} is using ${databasePath}, though its lock file ${path} was removed: stop it first, or give this daemon its own --db`, recorded);
  }
  try {
    migrate(db, 'daemon-lock', migrations);
    db.prepare('INSERT OR REPLACE INTO daemon_holder (id, pid, hostname, started_at) VALUES (1, ?, ?, ?)').run(holder.pid, holder.hostname, holder.startedAt);
  } catch (cause) {
    lockDb.close();
    throw cause;
  }
  let held = true;
  return {
    path,
    release() {
      if (!held) return;
      held = false;
      try {
        db.prepare('DELETE FROM daemon_holder WHERE pid = ? AND hostname = ? AND started_at = ?').run(holder.pid, holder.hostname, holder.startedAt);
      } catch {
        // The database may be gone or read-only by now: the lock file is what counts.
      }
      lockDb.close();
    },
  };
}

/** The daemon recorded as holding the lock, if the database says. */
export function readHolder(db: Db): LockHolder | undefined {
  try {
    const row = db.prepare('SELECT pid, hostname, started_at AS startedAt FROM daemon_holder WHERE id = 1').get() as LockHolder | undefined;
    return row;
  } catch {
    return undefined;
  }
}

/**
 * Whether the recorded holder is a live process on this host, and (where /proc tells) the same process that took
 * the lock rather than a later one given its pid: it started at most 10 minutes before it recorded the lock. A
 * holder that died without releasing (SIGKILL) or runs elsewhere is not running here.
 */
function stillRunning(holder: LockHolder): boolean {
  if (holder.hostname !== hostname() || holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
  } catch (cause) {
    // EPERM: alive, owned by another user.
    if ((cause as { code?: unknown }).code !== 'EPERM') return false;
  }
  const started = processStartTime(holder.pid);
  return started === undefined || (started <= holder.startedAt + 5 && started >= holder.startedAt - 600);
}

/** A process's start time in unix seconds from /proc (Linux), or undefined where that cannot be read. */
function processStartTime(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 (starttime, clock ticks since boot) counted after the command name, which may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    const boot = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]);
    // Linux reports starttime in USER_HZ, which is 100 on every architecture it runs on.
    return Number.isFinite(ticks) && Number.isFinite(boot) ? boot + ticks / 100 : undefined;
  } catch {
    return undefined;
  }
}

function heldBy(holder: LockHolder | undefined): string {
  if (holder === undefined) return 'another burnrate daemon';
  const started = new Date(holder.startedAt * 1000).toISOString().replace(/\.000Z$/, 'Z');
  return `another burnrate daemon (pid ${holder.pid} on ${holder.hostname}, started ${started})`;
}

function isBusy(cause: unknown): boolean {
  const code = (cause as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}
