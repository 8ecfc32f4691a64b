import { openBackend, type OpenedBackend } from '../app/open-backend.js';
import type { Config } from '../config/config.js';
import { openDatabase, type Db } from '../store/database.js';
import { CliError, exitCodes } from './io.js';

export interface EngineSession extends OpenedBackend {
  db: Db;
  close(): Promise<void>;
}

/** Opens the database and the configured backend for a one-shot command. */
export function openEngine(config: Config): EngineSession {
  let db: Db;
  try {
    db = openDatabase(config.database);
  } catch (error) {
    throw new CliError(`cannot open database ${config.database}: ${error instanceof Error ? error.message : String(error)}`, exitCodes.unavailable);
  }
  const opened = openBackend(config.backend, db);
  return {
    ...opened,
    db,
    async close() {
      await opened.backend.close();
      db.close();
    },
  };
}
