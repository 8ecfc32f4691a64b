import type { StoredAlert } from '../alerting/alert-store.js';
import { openDatabase } from '../store/database.js';
import { openStores } from '../wiring/open-stores.js';
import type { StoredAlertState } from './format/evaluation-view.js';
import { databaseMissing } from './database-access.js';

/**
 * The alerts a daemon keeps in `path`, as of its newest stored evaluation; undefined when no daemon has
 * evaluated into it (or there is no such file: reading never creates one).
 */
export function readStoredAlertState(path: string): StoredAlertState | undefined {
  if (databaseMissing(path)) return undefined;
  const db = openDatabase(path);
  try {
    const stores = openStores(db);
    const asOf = stores.evaluations.lastEvaluationTime();
    if (asOf === undefined) return undefined;
    const bySlo = new Map<string, StoredAlert[]>();
    for (const alert of stores.alerts.all()) bySlo.set(alert.slo, [...(bySlo.get(alert.slo) ?? []), alert]);
    return { asOf, bySlo };
  } finally {
    db.close();
  }
}
