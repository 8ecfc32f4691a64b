import { statSync } from 'node:fs';
import { dirname } from 'node:path';

/** Why the database at `path` could not be opened for writing, as one line for the daemon's start. */
export function explainDatabaseOpenError(path: string, cause: unknown): string {
  const code = (cause as { code?: unknown }).code;
  const message = cause instanceof Error ? (cause.message.split('\n')[0] ?? '') : String(cause);
  const why = (() => {
    if (isDirectory(path)) return 'it is a directory, expected a database file';
    if (/directory does not exist/i.test(message) || !isDirectory(dirname(path))) return `its directory ${dirname(path)} does not exist`;
    if (typeof code !== 'string') return message;
    if (code.startsWith('SQLITE_READONLY')) return 'it is read-only: the daemon must write it (check the permissions of the file and of its directory)';
    if (code.startsWith('SQLITE_CANTOPEN')) return 'it cannot be opened or created (check the permissions of the file and of its directory)';
    if (code === 'SQLITE_NOTADB') return 'it is not a SQLite database';
    if (code.startsWith('SQLITE_CORRUPT')) return 'it is damaged';
    if (code.startsWith('SQLITE_FULL')) return 'the disk is full';
    if (code.startsWith('SQLITE_IOERR')) return `an I/O error (${code})`;
    return `${message} (${code})`;
  })();
  return `cannot open the database ${path}: ${why}`;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
