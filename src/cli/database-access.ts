import { existsSync } from 'node:fs';
import { openDatabase, type Db } from '../store/database.js';
import { CliError, exitCodes } from './io.js';

/**
 * What a command needs of the database. `existing`: it shows or changes what `run`, `ingest` and the recording
 * commands stored (eval, backtest, report, gate, every `ls`, every `expire`), so a missing file is an error, never
 * a new empty database. `create`: it records something new (samples, a deploy, a silence, an override) and creates
 * the file when there is none.
 */
export type DatabaseAccess = 'existing' | 'create';

/** The reason given when a command that needs an existing database names a database file that does not exist. */
export function missingDatabaseMessage(path: string): string {
  return `cannot open ${path}: no such database (run \`burnrate run\` or \`burnrate ingest\` first, or give --db the daemon's database)`;
}

/** True when opening `path` would create a new database file. */
export function databaseMissing(path: string): boolean {
  return path !== ':memory:' && path !== '' && !existsSync(path);
}

/** Opens the configured database for a command; a missing file for `existing`, or an unopenable one, exits 2. */
export function openCliDatabase(path: string, access: DatabaseAccess): Db {
  if (access === 'existing' && databaseMissing(path)) throw new CliError(missingDatabaseMessage(path), exitCodes.unavailable);
  try {
    return openDatabase(path);
  } catch (error) {
    throw new CliError(`cannot open ${path}: ${error instanceof Error ? error.message : String(error)}`, exitCodes.unavailable);
  }
}
