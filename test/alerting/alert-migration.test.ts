import { describe, expect, it } from 'vitest';
import { AlertStore } from '../../src/alerting/alert-store.js';
import { migrate, openDatabase, type Db } from '../../src/store/database.js';
import { EvaluationStore } from '../../src/engine/evaluation-store.js';

/** The schema as the previous release left it: evaluations v1–v2 (with the condition tables) and alerts v1. */
function oldDatabase(): Db {
  const db = openDatabase(':memory:');
  migrate(db, 'evaluations', [
    {
      version: 1,
      description: 'evaluation history, alert condition state and transitions',
      up: `
        CREATE TABLE evaluations (slo TEXT NOT NULL, t INTEGER NOT NULL, status TEXT NOT NULL, error TEXT, budget_remaining REAL,
          error_ratio REAL, time_to_exhaustion REAL, burn_rate REAL, coverage REAL NOT NULL, page TEXT, ticket TEXT, detail TEXT NOT NULL,
          PRIMARY KEY (slo, t)) WITHOUT ROWID;
        CREATE TABLE alert_conditions (slo TEXT NOT NULL, severity TEXT NOT NULL, active INTEGER NOT NULL, since INTEGER NOT NULL, PRIMARY KEY (slo, severity));
        CREATE TABLE condition_transitions (slo TEXT NOT NULL, severity TEXT NOT NULL, state TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (slo, severity, at));
        CREATE INDEX condition_transitions_at ON condition_transitions (at);
      `,
    },
    { version: 2, description: 'evaluations by time', up: 'CREATE INDEX evaluations_t ON evaluations (t, status)' },
  ]);
  migrate(db, 'alerts', [
    {
      version: 1,
      description: 'alerts',
      up: `CREATE TABLE alerts (fingerprint TEXT PRIMARY KEY, slo TEXT NOT NULL, kind TEXT NOT NULL, severity TEXT NOT NULL, labels TEXT NOT NULL,
        state TEXT NOT NULL, active_at INTEGER NOT NULL, fired_at INTEGER, resolved_at INTEGER, updated_at INTEGER NOT NULL, figures TEXT NOT NULL);
        CREATE INDEX alerts_slo ON alerts (slo);`,
    },
  ]);
  const transition = db.prepare('INSERT INTO condition_transitions (slo, severity, state, at) VALUES (?, ?, ?, ?)');
  // An old page incident (100–400), a ticket still active, and the current page burn from 1000.
  transition.run('a', 'page', 'firing', 100);
  transition.run('a', 'page', 'resolved', 400);
  transition.run('a', 'ticket', 'firing', 900);
  transition.run('a', 'page', 'firing', 1000);
  db.prepare('INSERT INTO alert_conditions (slo, severity, active, since) VALUES (?, ?, ?, ?)').run('a', 'page', 1, 1000);
  const alert = db.prepare(`INSERT INTO alerts (fingerprint, slo, kind, severity, labels, state, active_at, fired_at, resolved_at, updated_at, figures)
    VALUES (?, ?, ?, ?, '{}', ?, ?, ?, ?, 1200, ?)`);
  const figures = (at: number) => JSON.stringify({ at, status: 'ok', budgetRemaining: 0.4, timeToExhaustion: null, errorRatio: 0.002, pairs: [] });
  // The page waited out a 2-minute `for`; the ticket fired at once; a no-data alert resolved.
  alert.run('fp-page', 'a', 'burn', 'page', 'firing', 1000, 1120, null, figures(1200));
  alert.run('fp-ticket', 'a', 'burn', 'ticket', 'firing', 900, 900, null, figures(1200));
  alert.run('fp-nodata', 'a', 'no_data', 'ticket', 'resolved', 300, 900, 960, figures(960));
  return db;
}

const tables = (db: Db) => db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];

describe('migrating the two alert histories into one', () => {
  for (const order of ['evaluation store first', 'alert store first'] as const) {
    it(`keeps the lifecycle's alerts and the older condition history before them, then drops the old tables (${order})`, () => {
      const db = oldDatabase();
      if (order === 'evaluation store first') new EvaluationStore(db);
      const alerts = new AlertStore(db);
      new EvaluationStore(db);

      expect(tables(db)).not.toContain('alert_conditions');
      expect(tables(db)).not.toContain('condition_transitions');
      expect(alerts.history(0, 2000).map((c) => [c.fingerprint, c.kind, c.severity, c.state, c.at])).toEqual([
        // Before the current page alert: the conditions as they were recorded (imported without an alert).
        [null, 'burn', 'page', 'firing', 100],
        ['fp-nodata', 'no_data', 'ticket', 'pending', 300],
        [null, 'burn', 'page', 'resolved', 400],
        ['fp-ticket', 'burn', 'ticket', 'firing', 900],
        ['fp-nodata', 'no_data', 'ticket', 'firing', 900],
        ['fp-nodata', 'no_data', 'ticket', 'resolved', 960],
        // The condition began at 1000 but the alert fired after its `for`: the lifecycle's times win, once each.
        ['fp-page', 'burn', 'page', 'pending', 1000],
        ['fp-page', 'burn', 'page', 'firing', 1120],
      ]);
      expect(alerts.history(960, 960)[0]!.figures?.at).toBe(960);
      expect(alerts.all().map((a) => [a.fingerprint, a.state])).toEqual([
        ['fp-page', 'firing'],
        ['fp-ticket', 'firing'],
        ['fp-nodata', 'resolved'],
      ]);
      const versions = db.prepare('SELECT component, max(version) AS v FROM schema_migrations GROUP BY component ORDER BY component').all();
      expect(versions).toEqual([
        { component: 'alerts', v: 2 },
        { component: 'evaluations', v: 4 },
      ]);
    });
  }

  it('a new database in either order has the history table and none of the old ones', () => {
    for (const open of [(db: Db) => [new EvaluationStore(db), new AlertStore(db)], (db: Db) => [new AlertStore(db), new EvaluationStore(db)]]) {
      const db = openDatabase(':memory:');
      open(db);
      expect(tables(db)).toEqual(expect.arrayContaining(['alert_history', 'alerts', 'evaluations']));
      expect(tables(db)).not.toContain('alert_conditions');
      expect(tables(db)).not.toContain('condition_transitions');
      expect(new AlertStore(db).history(0, Number.MAX_SAFE_INTEGER)).toEqual([]);
    }
  });
});
