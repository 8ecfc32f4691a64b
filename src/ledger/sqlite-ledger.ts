import type { WindowCounts } from '../core/burn-rate.js';
import { type Db, migrate, type Migration, writeTransaction } from '../store/database.js';
import { accumulate, baseRow, countsBetween, sumsBetweenRows, type BucketAppend, type BucketLedger, type LedgerRow, type RunningSums } from './bucket-ledger.js';

const migrations: Migration[] = [
  {
    version: 1,
    description: 'bucket ledger: per-SLO running sums at bucket ends',
    up: `
      CREATE TABLE ledger_slos (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        fingerprint TEXT NOT NULL
      );
      CREATE TABLE ledger_rows (
        slo_id INTEGER NOT NULL REFERENCES ledger_slos(id) ON DELETE CASCADE,
        t INTEGER NOT NULL,
        cum_errors REAL NOT NULL,
        cum_total REAL NOT NULL,
        cum_covered REAL NOT NULL,
        PRIMARY KEY (slo_id, t)
      ) WITHOUT ROWID;
    `,
  },
];

interface RowRecord {
  t: number;
  cum_errors: number;
  cum_total: number;
  cum_covered: number;
}

const toRow = (record: RowRecord | undefined): LedgerRow | undefined =>
  record && { t: record.t, cumErrors: record.cum_errors, cumTotal: record.cum_total, cumCovered: record.cum_covered };

/** The daemon's ledger: rows in SQLite, so a restart resumes where it stopped. */
export class SqliteLedger implements BucketLedger {
  private readonly ids = new Map<string, number>();
  private readonly statements;

  constructor(private readonly db: Db) {
    migrate(db, 'ledger', migrations);
    this.statements = {
      slo: db.prepare<[string], { id: number; fingerprint: string }>('SELECT id, fingerprint FROM ledger_slos WHERE name = ?'),
      upsertSlo: db.prepare(
        'INSERT INTO ledger_slos (name, fingerprint) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET fingerprint = excluded.fingerprint',
      ),
      deleteRows: db.prepare('DELETE FROM ledger_rows WHERE slo_id = ?'),
      last: db.prepare<[number], RowRecord>(
        'SELECT t, cum_errors, cum_total, cum_covered FROM ledger_rows WHERE slo_id = ? ORDER BY t DESC LIMIT 1',
      ),
      first: db.prepare<[number], RowRecord>(
        'SELECT t, cum_errors, cum_total, cum_covered FROM ledger_rows WHERE slo_id = ? ORDER BY t LIMIT 1',
      ),
      floor: db.prepare<[number, number], RowRecord>(
        'SELECT t, cum_errors, cum_total, cum_covered FROM ledger_rows WHERE slo_id = ? AND t <= ? ORDER BY t DESC LIMIT 1',
      ),
      ceiling: db.prepare<[number, number], RowRecord>(
        'SELECT t, cum_errors, cum_total, cum_covered FROM ledger_rows WHERE slo_id = ? AND t > ? ORDER BY t LIMIT 1',
      ),
      insert: db.prepare('INSERT INTO ledger_rows (slo_id, t, cum_errors, cum_total, cum_covered) VALUES (?, ?, ?, ?, ?)'),
      thin: db.prepare('DELETE FROM ledger_rows WHERE slo_id = ? AND t < ? AND t % ? != 0 AND t NOT IN (SELECT value FROM json_each(?))'),
      drop: db.prepare(
        'DELETE FROM ledger_rows WHERE slo_id = ? AND t < (SELECT max(t) FROM ledger_rows WHERE slo_id = ? AND t <= ?)',
      ),
    };
  }

  private sloId(slo: string): number | undefined {
    const cached = this.ids.get(slo);
    if (cached !== undefined) return cached;
    const id = this.statements.slo.get(slo)?.id;
    if (id !== undefined) this.ids.set(slo, id);
    return id;
  }

  lastBucketEnd(slo: string): number | undefined {
    const id = this.sloId(slo);
    return id === undefined ? undefined : this.statements.last.get(id)?.t;
  }

  fingerprint(slo: string): string | undefined {
    return this.statements.slo.get(slo)?.fingerprint;
  }

  reset(slo: string, fingerprint: string): void {
    writeTransaction(this.db, () => {
      this.statements.upsertSlo.run(slo, fingerprint);
      const id = this.sloId(slo);
      if (id !== undefined) this.statements.deleteRows.run(id);
    });
  }

  append(slo: string, buckets: readonly BucketAppend[]): void {
    const id = this.sloId(slo);
    if (id === undefined) throw new Error(`ledger has no SLO ${slo}: reset it first`);
    writeTransaction(this.db, () => {
      let previous = toRow(this.statements.last.get(id));
      if (!previous) {
        previous = baseRow(buckets);
        if (!previous) return;
        this.statements.insert.run(id, previous.t, 0, 0, 0);
      }
      for (const bucket of buckets) {
        if (bucket.end <= previous.t) throw new Error(`bucket ${bucket.end} of ${slo} is not after ${previous.t}`);
        previous = accumulate(previous, bucket);
        this.statements.insert.run(id, previous.t, previous.cumErrors, previous.cumTotal, previous.cumCovered);
      }
    });
  }

  windowCounts(slo: string, at: number, windows: readonly number[]): Map<number, WindowCounts> {
    const id = this.sloId(slo);
    const floor = (t: number): LedgerRow | undefined => (id === undefined ? undefined : toRow(this.statements.floor.get(id, t)));
    const upper = floor(at);
    const first = id === undefined ? undefined : toRow(this.statements.first.get(id));
    return new Map(windows.map((window) => [window, countsBetween(upper, floor(at - window) ?? first, at, window)]));
  }

  sumsAt(slo: string, t: number, bucket: number): RunningSums {
    const id = this.sloId(slo);
    if (id === undefined) return { errors: 0, total: 0, exact: true };
    return sumsBetweenRows(toRow(this.statements.floor.get(id, t)), toRow(this.statements.ceiling.get(id, t)), t, bucket);
  }

  thin(slo: string, before: number, keepEvery: number, keep: readonly number[] = []): number {
    const id = this.sloId(slo);
    return id === undefined ? 0 : this.statements.thin.run(id, before, keepEvery, JSON.stringify(keep)).changes;
  }

  drop(slo: string, before: number): number {
    const id = this.sloId(slo);
    return id === undefined ? 0 : this.statements.drop.run(id, id, before).changes;
  }
}
