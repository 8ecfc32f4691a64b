import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteLedger } from '../src/ledger/sqlite-ledger.js';
import { openDatabase } from '../src/store/database.js';

export interface TempLedger {
  ledger: SqliteLedger;
  path: string;
  /** Closes the database and removes its directory. */
  remove(): void;
}

/** The daemon's SQLite ledger in a fresh temporary file. */
export function openTempLedger(): TempLedger {
  const dir = mkdtempSync(join(tmpdir(), 'burnrate-bench-'));
  const path = join(dir, 'ledger.db');
  const db = openDatabase(path);
  return {
    ledger: new SqliteLedger(db),
    path,
    remove() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
