import type { ConditionState } from '../core/burn-rate.js';
import type { SloEvaluation } from './slo-evaluation.js';
import type { Severity } from '../slo/model.js';
import { type Db, migrate, type Migration, writeTransaction } from '../store/database.js';

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
];

/** A stored evaluation, as the gate, reports and the CLI read it back. */
export interface StoredEvaluation {
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
  detail: Pick<SloEvaluation, 'windows' | 'severities' | 'budget'>;
}

interface EvaluationRecord {
  slo: string;
  t: number;
  status: SloEvaluation['status'];
  error: string | null;
  budget_remaining: number | null;
  error_ratio: number | null;
  time_to_exhaustion: number | null;
  burn_rate: number | null;
  coverage: number;
  page: ConditionState | null;
  ticket: ConditionState | null;
  detail: string;
}

const fromRecord = (r: EvaluationRecord): StoredEvaluation => ({
  slo: r.slo,
  t: r.t,
  status: r.status,
  error: r.error,
  budgetRemaining: r.budget_remaining,
  errorRatio: r.error_ratio,
  timeToExhaustion: r.time_to_exhaustion,
  burnRate: r.burn_rate,
  coverage: r.coverage,
  page: r.page,
  ticket: r.ticket,
  detail: JSON.parse(r.detail) as StoredEvaluation['detail'],
});

export interface HistoryPolicy {
  /** Evaluations younger than this keep every cycle. */
  fullResolution: number;
  /** Older ones keep one row per this many seconds. */
  downsampleTo: number;
  /** Rows older than this are deleted (SLO window plus configured retention). */
  keepFor: number;
}

/** Evaluation history in SQLite: what the gate, reports, the API and the alert lifecycle read. */
export class EvaluationStore {
  private readonly statements;

  constructor(readonly db: Db) {
    migrate(db, 'evaluations', migrations);
    this.statements = {
      insert: db.prepare(`INSERT OR REPLACE INTO evaluations
        (slo, t, status, error, budget_remaining, error_ratio, time_to_exhaustion, burn_rate, coverage, page, ticket, detail)
        VALUES (@slo, @t, @status, @error, @budget_remaining, @error_ratio, @time_to_exhaustion, @burn_rate, @coverage, @page, @ticket, @detail)`),
      latest: db.prepare<[string], EvaluationRecord>('SELECT * FROM evaluations WHERE slo = ? ORDER BY t DESC LIMIT 1'),
      history: db.prepare<[string, number, number], EvaluationRecord>(
        'SELECT * FROM evaluations WHERE slo = ? AND t >= ? AND t <= ? ORDER BY t',
      ),
      lastTime: db.prepare<[], { t: number | null }>('SELECT max(t) AS t FROM evaluations'),
      lastGoodTime: db.prepare<[], { t: number | null }>("SELECT t FROM evaluations WHERE status != 'backend_error' ORDER BY t DESC LIMIT 1"),
    };
  }

  /** Stores evaluations, atomically. Alert state is the alert lifecycle's (AlertTracker), in the same transaction. */
  recordCycle(evaluations: readonly SloEvaluation[]): void {
    writeTransaction(this.db, () => {
      for (const evaluation of evaluations) {
        const state = (severity: Severity) => evaluation.severities.find((s) => s.severity === severity)?.state ?? null;
        this.statements.insert.run({
          slo: evaluation.slo,
          t: evaluation.at,
          status: evaluation.status,
          error: evaluation.error ?? null,
          budget_remaining: evaluation.budget.remaining,
          error_ratio: evaluation.budget.errorRatio,
          time_to_exhaustion: evaluation.budget.timeToExhaustion,
          burn_rate: evaluation.budget.burnRate,
          coverage: evaluation.budget.coverage,
          page: state('page'),
          ticket: state('ticket'),
          detail: JSON.stringify({ windows: evaluation.windows, severities: evaluation.severities, budget: evaluation.budget }),
        });
      }
    });
  }

  latest(slo: string): StoredEvaluation | undefined {
    const record = this.statements.latest.get(slo);
    return record && fromRecord(record);
  }

  history(slo: string, from: number, to: number): StoredEvaluation[] {
    return this.statements.history.all(slo, from, to).map(fromRecord);
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

  /** Downsamples and expires history. Returns rows deleted. */
  compact(now: number, policy: HistoryPolicy): number {
    const expired = this.db.prepare('DELETE FROM evaluations WHERE t < ?').run(now - policy.keepFor).changes;
    const thinned = this.db
      .prepare('DELETE FROM evaluations WHERE t < ? AND t % ? != 0')
      .run(now - policy.fullResolution, policy.downsampleTo).changes;
    return expired + thinned;
  }
}
