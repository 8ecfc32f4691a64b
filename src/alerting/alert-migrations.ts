import { migrate, type Db, type Migration } from '../store/database.js';

interface CurrentAlertRow {
  fingerprint: string;
  slo: string;
  kind: string;
  severity: string;
  state: string;
  active_at: number;
  fired_at: number | null;
  resolved_at: number | null;
  figures: string;
}

const tableExists = (db: Db, name: string): boolean =>
  db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;

/**
 * Seeds the alert history from what older versions kept: the current alert of each fingerprint (its own
 * pending/firing/resolved times), and before it the condition transitions of the evaluation store. Those
 * were recorded without `for`, so they are imported as they were (firing when the condition began) and
 * only where no lifecycle record covers the same time.
 */
function importOlderHistory(db: Db): void {
  const insert = db.prepare(`INSERT OR IGNORE INTO alert_history (fingerprint, slo, kind, severity, state, at, figures)
    VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const covered = new Map<string, number>();
  for (const row of db.prepare<[], CurrentAlertRow>('SELECT * FROM alerts').all()) {
    if (row.fired_at === null || row.fired_at > row.active_at) insert.run(row.fingerprint, row.slo, row.kind, row.severity, 'pending', row.active_at, null);
    if (row.fired_at !== null) insert.run(row.fingerprint, row.slo, row.kind, row.severity, 'firing', row.fired_at, null);
    if (row.resolved_at !== null) insert.run(row.fingerprint, row.slo, row.kind, row.severity, 'resolved', row.resolved_at, row.figures);
    if (row.kind !== 'burn') continue;
    const key = `${row.slo}/${row.severity}`;
    covered.set(key, Math.min(covered.get(key) ?? Number.POSITIVE_INFINITY, row.active_at));
  }
  if (!tableExists(db, 'condition_transitions')) return;
  const transitions = db.prepare<[], { slo: string; severity: string; state: string; at: number }>(
    'SELECT slo, severity, state, at FROM condition_transitions ORDER BY at',
  );
  for (const t of transitions.all()) {
    if (t.at >= (covered.get(`${t.slo}/${t.severity}`) ?? Number.POSITIVE_INFINITY)) continue;
    insert.run(null, t.slo, 'burn', t.severity, t.state, t.at, null);
  }
}

const migrations: Migration[] = [
  {
    version: 1,
    description: 'alerts: current state of every burn and no-data alert, with the figures of its latest evaluation',
    up: `
      CREATE TABLE alerts (
        fingerprint TEXT PRIMARY KEY,
        slo TEXT NOT NULL,
        kind TEXT NOT NULL,
        severity TEXT NOT NULL,
        labels TEXT NOT NULL,
        state TEXT NOT NULL,
        active_at INTEGER NOT NULL,
        fired_at INTEGER,
        resolved_at INTEGER,
        updated_at INTEGER NOT NULL,
        figures TEXT NOT NULL
      );
      CREATE INDEX alerts_slo ON alerts (slo);
    `,
  },
  {
    version: 2,
    description: 'alert_history: every state change of every alert, seeded from the current alerts and the older condition transitions',
    up: (db) => {
      db.exec(`
        CREATE TABLE alert_history (
          id INTEGER PRIMARY KEY,
          fingerprint TEXT,
          slo TEXT NOT NULL,
          kind TEXT NOT NULL,
          severity TEXT NOT NULL,
          state TEXT NOT NULL,
          at INTEGER NOT NULL,
          figures TEXT,
          UNIQUE (slo, kind, severity, state, at)
        );
        CREATE INDEX alert_history_at ON alert_history (at);
      `);
      importOlderHistory(db);
      // The evaluation store's tables of the older history, now imported (its own migration 3 drops them when this
      // has run first).
      db.exec('DROP TABLE IF EXISTS alert_conditions; DROP TABLE IF EXISTS condition_transitions;');
    },
  },
];

/** Brings the alert tables up to date; the alert store calls it when it opens. */
export function migrateAlerts(db: Db): void {
  migrate(db, 'alerts', migrations);
}
