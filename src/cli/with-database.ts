import type { Config } from '../config/config.js';
import { openDatabase, type Db } from '../store/database.js';
import { CliError, exitCodes } from './io.js';

/** Opens the configured database for one command, closing it afterwards; an unopenable database exits 2. */
export function withDatabase<T>(config: Config, use: (db: Db) => T): T {
  let db: Db;
  try {
    db = openDatabase(config.database);
  } catch (error) {
    throw new CliError(`cannot open ${config.database}: ${error instanceof Error ? error.message : String(error)}`, exitCodes.unavailable);
  }
  try {
    return use(db);
  } finally {
    db.close();
  }
}
