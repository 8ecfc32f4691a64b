import type { Config } from '../config/config.js';
import type { Db } from '../store/database.js';
import { openStores, storeOptionsOf, type Stores } from '../wiring/open-stores.js';
import { openCliDatabase, type DatabaseAccess } from './database-access.js';

/** Opens the configured database for one command, closing it afterwards; see {@link DatabaseAccess}. */
export function withDatabase<T>(config: Config, access: DatabaseAccess, use: (db: Db) => T): T {
  const db = openCliDatabase(config.database, access);
  try {
    return use(db);
  } finally {
    db.close();
  }
}

/** The stores over the configured database for one command (each built when first taken), closed afterwards. */
export function withStores<T>(config: Config, access: DatabaseAccess, use: (stores: Stores) => T): T {
  return withDatabase(config, access, (db) => use(openStores(db, storeOptionsOf(config))));
}
