import type { ConditionState } from '../core/burn-rate.js';
import type { SloEvaluation } from './slo-evaluation.js';
import type { Severity } from '../slo/model.js';
import { type Db, migrate, type Migration, writeTransaction } from '../store/database.js';

// History rows are most of the database: SLOs by integer id, statuses and condition states as small integers
// (their index in these lists), the JSON detail only in each SLO's latest evaluation.
const statusCodes = ['ok', 'insufficient_data', 'backend_error'] as const satisfies ReadonlyArray<SloEvaluation['status']>;
const conditionCodes = ['ok', 'firing', 'unknown'] as const satisfies readonly ConditionState[];

const sqlCase = (codes: readonly string[]) => (column: string) => `CASE ${column} ${codes.map((code, i) => `WHEN '${code}' THEN ${i}`).join(' ')} END`;
const statusCase = sqlCase(statusCodes);
const conditionCase = sqlCase(conditionCodes);

const migrations: Migration[] = [
  {
    version: 1,
    description: 'evaluation history, alert condition state and transitions',
    up: `
      CREATE TABLE evaluations (
        slo TEXT NOT NULL,
        t INTEGER NOT NULL,
        status TEXT NOT NULL,
        error TEXT,
        budget_remaining REAL,
        error_ratio REAL,
        time_to_exhaustion REAL,
        burn_rate REAL,
        coverage REAL NOT NULL,
        page TEXT,
        ticket TEXT,
        detail TEXT NOT NULL,
        PRIMARY KEY (slo, t)
      ) WITHOUT ROWID;
      CREATE TABLE alert_conditions (
        slo TEXT NOT NULL,
        severity TEXT NOT NULL,
        active INTEGER NOT NULL,
        since INTEGER NOT NULL,
        PRIMARY KEY (slo, severity)
      );
      CREATE TABLE condition_transitions (
        slo TEXT NOT NULL,
        severity TEXT NOT NULL,
        state TEXT NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (slo, severity, at)
      );
      CREATE INDEX condition_transitions_at ON condition_transitions (at);
    `,
  },
  {
    version: 2,
    description: 'evaluations by time, for the newest evaluation at start and after outages',
    up: 'CREATE INDEX evaluations_t ON evaluations (t, status)',
  },
  {
    version: 3,
    description: 'alert conditions and their transitions move to the alert lifecycle (alert_history); the old tables go',
    up: (db) => {
      // The alert store's own migration imports the transitions into alert_history and drops the old tables. Until
      // it has run (no alert_history yet), they stay for it to import; once it has, whatever is left of them goes.
      const imported = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alert_history'").get() !== undefined;
      if (imported) db.exec('DROP TABLE IF EXISTS alert_conditions; DROP TABLE IF EXISTS condition_transitions;');
    },
  },
  {
    version: 4,
    description: 'compact history: SLOs by integer id, codes for status and condition, the detail only in each SLO\'s latest evaluation',
    up: `
      ALTER TABLE evaluations RENAME TO evaluations_v3;
      DROP INDEX IF EXISTS evaluations_t;
      CREATE TABLE evaluation_slos (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
      CREATE TABLE evaluations (
        slo_id INTEGER NOT NULL,
        t INTEGER NOT NULL,
        status INTEGER NOT NULL,
        error TEXT,
        budget_remaining REAL,
        error_ratio REAL,
        time_to_exhaustion REAL,
        burn_rate REAL,
        coverage REAL NOT NULL,
        page INTEGER,
        ticket INTEGER,
        PRIMARY KEY (slo_id, t)
      ) WITHOUT ROWID;
      CREATE TABLE evaluation_latest (
        slo_id INTEGER PRIMARY KEY,
        t INTEGER NOT NULL,
        good_t INTEGER,
        status INTEGER NOT NULL,
        error TEXT,
        budget_remaining REAL,
        error_ratio REAL,
        time_to_exhaustion REAL,
        burn_rate REAL,
        coverage REAL NOT NULL,
        page INTEGER,
        ticket INTEGER,
        detail TEXT NOT NULL
      );
      INSERT INTO evaluation_slos (name) SELECT DISTINCT slo FROM evaluations_v3 ORDER BY slo;
      INSERT INTO evaluations
        SELECT s.id, o.t, ${statusCase('o.status')}, o.error, o.budget_remaining, o.error_ratio, o.time_to_exhaustion, o.burn_rate, o.coverage,
          ${conditionCase('o.page')}, ${conditionCase('o.ticket')}
        FROM evaluations_v3 o JOIN evaluation_slos s ON s.name = o.slo;
      INSERT INTO evaluation_latest
        SELECT s.id, o.t, (SELECT max(g.t) FROM evaluations_v3 g WHERE g.slo = o.slo AND g.status != 'backend_error'),
          ${statusCase('o.status')}, o.error, o.budget_remaining, o.error_ratio, o.time_to_exhaustion, o.burn_rate, o.coverage,
          ${conditionCase('o.page')}, ${conditionCase('o.ticket')}, o.detail
        FROM evaluations_v3 o JOIN evaluation_slos s ON s.name = o.slo
        WHERE o.t = (SELECT max(n.t) FROM evaluations_v3 n WHERE n.slo = o.slo);
      DROP TABLE evaluations_v3;
    `,
  },
];

/** One stored evaluation's figures, as history keeps them. */
export interface EvaluationPoint {
  slo: string;
  t: number;
  status: SloEvaluation['status'];
  error: string | null;
  budgetRemaining: number | null;
  errorRatio: number | null;
  timeToExhaustion: number | null;
  burnRate: number | null;
  coverage: number;
  page: ConditionState | null;
  ticket: ConditionState | null;
}

/** The latest evaluation of an SLO, with what the gate, the API and the metrics show of its windows. */
export interface StoredEvaluation extends EvaluationPoint {
  detail: Pick<SloEvaluation, 'windows' | 'severities' | 'budget'>;
}

interface PointRecord {
  t: number;
  status: number;
  error: string | null;
  budget_remaining: number | null;
  error_ratio: number | null;
  time_to_exhaustion: number | null;
  burn_rate: number | null;
  coverage: number;
  page: number | null;
  ticket: number | null;
}

const decode = <T>(codes: readonly T[], code: number | null): T | null => (code === null ? null : (codes[code] ?? null));

const fromRecord = (slo: string, r: PointRecord): EvaluationPoint => ({
  slo,
  t: r.t,
  status: decode(statusCodes, r.status) ?? 'backend_error',
  error: r.error,
  budgetRemaining: r.budget_remaining,
  errorRatio: r.error_ratio,
  timeToExhaustion: r.time_to_exhaustion,
  burnRate: r.burn_rate,
  coverage: r.coverage,
  page: decode(conditionCodes, r.page),
  ticket: decode(conditionCodes, r.ticket),
});

export interface HistoryPolicy {
  /** Evaluations younger than this keep every cycle. */
  fullResolution: number;
  /** Older ones keep one row per this many seconds. */
  downsampleTo: number;
  /** Rows older than this are deleted (SLO window plus configured retention). */
  keepFor: number;
}

const pointColumns = 't, status, error, budget_remaining, error_ratio, time_to_exhaustion, burn_rate, coverage, page, ticket';

/** Evaluation history in SQLite: what the gate, reports, the API and the alert lifecycle read. */
export class EvaluationStore {
  private readonly statements;
  private readonly ids = new Map<string, number>();

  constructor(readonly db: Db) {
    migrate(db, 'evaluations', migrations);
    this.statements = {
      sloId: db.prepare<[string], { id: number }>('SELECT id FROM evaluation_slos WHERE name = ?'),
      addSlo: db.prepare<[string]>('INSERT INTO evaluation_slos (name) VALUES (?)'),
      sloIds: db.prepare<[], { id: number }>('SELECT id FROM evaluation_slos'),
      insert: db.prepare(`INSERT OR REPLACE INTO evaluations (slo_id, ${pointColumns})
        VALUES (@slo_id, @t, @status, @error, @budget_remaining, @error_ratio, @time_to_exhaustion, @burn_rate, @coverage, @page, @ticket)`),
      // A replayed earlier step does not displace the latest.
      upsertLatest: db.prepare(`INSERT INTO evaluation_latest (slo_id, good_t, detail, ${pointColumns})
        VALUES (@slo_id, @good_t, @detail, @t, @status, @error, @budget_remaining, @error_ratio, @time_to_exhaustion, @burn_rate, @coverage, @page, @ticket)
        ON CONFLICT (slo_id) DO UPDATE SET detail = excluded.detail, ${pointColumns.split(', ').map((column) => `${column} = excluded.${column}`).join(', ')}
        WHERE excluded.t >= evaluation_latest.t`),
      // The newest step that read its data, also when it is a replayed earlier step.
      markGood: db.prepare<[number, number, number]>('UPDATE evaluation_latest SET good_t = ? WHERE slo_id = ? AND (good_t IS NULL OR good_t < ?)'),
      latest: db.prepare<[string], PointRecord & { detail: string }>(
        `SELECT l.* FROM evaluation_latest l JOIN evaluation_slos s ON s.id = l.slo_id WHERE s.name = ?`,
      ),
      history: db.prepare<[string, number, number], PointRecord>(
        `SELECT ${pointColumns} FROM evaluations WHERE slo_id = (SELECT id FROM evaluation_slos WHERE name = ?) AND t >= ? AND t <= ? ORDER BY t`,
      ),
      lastTime: db.prepare<[], { t: number | null }>('SELECT max(t) AS t FROM evaluation_latest'),
      lastGoodTime: db.prepare<[], { t: number | null }>('SELECT max(good_t) AS t FROM evaluation_latest'),
      expire: db.prepare<[number, number]>('DELETE FROM evaluations WHERE slo_id = ? AND t < ?'),
      thin: db.prepare<[number, number, number]>('DELETE FROM evaluations WHERE slo_id = ? AND t < ? AND t % ? != 0'),
    };
  }

  private idOf(slo: string): number {
    let id = this.ids.get(slo);
    if (id === undefined) {
      id = this.statements.sloId.get(slo)?.id ?? Number(this.statements.addSlo.run(slo).lastInsertRowid);
      this.ids.set(slo, id);
    }
    return id;
  }

  /** Stores evaluations, atomically. Alert state is the alert lifecycle's (AlertTracker), in the same transaction. */
  recordCycle(evaluations: readonly SloEvaluation[]): void {
    writeTransaction(this.db, () => {
      for (const evaluation of evaluations) {
        const state = (severity: Severity) => {
          const found = evaluation.severities.find((s) => s.severity === severity)?.state;
          return found === undefined ? null : conditionCodes.indexOf(found);
        };
        const row = {
          slo_id: this.idOf(evaluation.slo),
          t: evaluation.at,
          status: statusCodes.indexOf(evaluation.status),
          error: evaluation.error ?? null,
          budget_remaining: evaluation.budget.remaining,
          error_ratio: evaluation.budget.errorRatio,
          time_to_exhaustion: evaluation.budget.timeToExhaustion,
          burn_rate: evaluation.budget.burnRate,
          coverage: evaluation.budget.coverage,
          page: state('page'),
          ticket: state('ticket'),
        };
        this.statements.insert.run(row);
        const good = evaluation.status !== 'backend_error';
        this.statements.upsertLatest.run({
          ...row,
          good_t: good ? evaluation.at : null,
          detail: JSON.stringify({ windows: evaluation.windows, severities: evaluation.severities, budget: evaluation.budget }),
        });
        if (good) this.statements.markGood.run(evaluation.at, row.slo_id, evaluation.at);
      }
    });
  }

  latest(slo: string): StoredEvaluation | undefined {
    const record = this.statements.latest.get(slo);
    return record && { ...fromRecord(slo, record), detail: JSON.parse(record.detail) as StoredEvaluation['detail'] };
  }

  history(slo: string, from: number, to: number): EvaluationPoint[] {
    return this.statements.history.all(slo, from, to).map((record) => fromRecord(slo, record));
  }

  /** Time of the newest stored evaluation. */
  lastEvaluationTime(): number | undefined {
    return this.statements.lastTime.get()?.t ?? undefined;
  }

  /**
   * Time of the newest evaluation that read its data: where replays resume after the daemon or its backend
   * was down (steps evaluated as backend errors are evaluated again once the data can be read).
   */
  lastGoodEvaluationTime(): number | undefined {
    return this.statements.lastGoodTime.get()?.t ?? undefined;
  }

  /** Downsamples and expires history, SLO by SLO along the primary key. Returns rows deleted. */
  compact(now: number, policy: HistoryPolicy): number {
    let deleted = 0;
    for (const { id } of this.statements.sloIds.all()) {
      deleted += this.statements.expire.run(id, now - policy.keepFor).changes;
      deleted += this.statements.thin.run(id, now - policy.fullResolution, policy.downsampleTo).changes;
    }
    return deleted;
  }
}
