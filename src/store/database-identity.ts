import { statSync } from 'node:fs';

interface FileIdentity {
  dev: number;
  ino: number;
}

/** Watches that the database file on disk is still the one the process opened. */
export interface DatabaseIdentity {
  /** Why the file at the path is no longer the opened database (deleted, replaced), or undefined. */
  check(): string | undefined;
}

/**
 * Remembers the device and inode of the database file as opened. SQLite keeps writing into an open file that
 * was deleted or renamed away, so without this check a daemon would go on evaluating into a file nobody will
 * ever open again and lose it all at the next restart.
 */
export function watchDatabaseIdentity(path: string): DatabaseIdentity {
  if (path === ':memory:' || path === '') return { check: () => undefined };
  const opened = identityOf(path);
  return {
    check() {
      const current = identityOf(path);
      if (opened === undefined) return undefined;
      if (current === undefined) return `the database file ${path} was deleted or moved away while the daemon ran`;
      if (current.dev !== opened.dev || current.ino !== opened.ino) return `the database file ${path} was replaced by another file while the daemon ran`;
      return undefined;
    },
  };
}

function identityOf(path: string): FileIdentity | undefined {
  try {
    const stat = statSync(path);
    return { dev: stat.dev, ino: stat.ino };
  } catch {
    return undefined;
  }
}
