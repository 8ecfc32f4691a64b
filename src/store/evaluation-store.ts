import type { ConditionState } from '../core/burn-rate.js';
import { conditionTransition, type ConditionTransition } from '../core/condition.js';
import type { SloEvaluation } from '../engine/slo-evaluation.js';
import type { Severity } from '../slo/model.js';
import { migrate, type Db, type Migration } from './database.js';

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

/** Evaluation history and alert condition state in SQLite: what the gate, reports and alerting read. */
export class EvaluationStore {
  private readonly statements;

  constructor(readonly db: Db) {
    migrate(db, 'evaluations', migrations);
    this.statements = {
      insert: db.prepare(`INSERT OR REPLACE INTO evaluations
        (slo, t, status, error, budget_remaining, error_ratio, time_to_exhaustion, burn_rate, coverage, page, ticket, detail)
        VALUES (@slo, @t, @status, @error, @budget_remaining, @error_ratio, @time_to_exhaustion, @burn_rate, @coverage, @page, @ticket, @detail)`),
      conditions: db.prepare<[], { slo: string; severity: Severity; active: number; since: number }>(
        'SELECT slo, severity, active, since FROM alert_conditions',
      ),
      setCondition: db.prepare(`INSERT INTO alert_conditions (slo, severity, active, since) VALUES (?, ?, ?, ?)
        ON CONFLICT(slo, severity) DO UPDATE SET active = excluded.active, since = excluded.since`),
      insertTransition: db.prepare('INSERT OR IGNORE INTO condition_transitions (slo, severity, state, at) VALUES (?, ?, ?, ?)'),
      latest: db.prepare<[string], EvaluationRecord>('SELECT * FROM evaluations WHERE slo = ? ORDER BY t DESC LIMIT 1'),
      history: db.prepare<[string, number, number], EvaluationRecord>(
        'SELECT * FROM evaluations WHERE slo = ? AND t >= ? AND t <= ? ORDER BY t',
      ),
      transitions: db.prepare<[number, number], ConditionTransition>(
        'SELECT slo, severity, state, at FROM condition_transitions WHERE at >= ? AND at <= ? ORDER BY at, slo, severity',
      ),
      lastTime: db.prepare<[], { t: number | null }>('SELECT max(t) AS t FROM evaluations'),
      lastGoodTime: db.prepare<[], { t: number | null }>("SELECT t FROM evaluations WHERE status != 'backend_error' ORDER BY t DESC LIMIT 1"),
    };
  }

  /** Active conditions keyed `slo/severity`. */
  activeConditions(): Map<string, number> {
    const active = new Map<string, number>();
    for (const row of this.statements.conditions.all()) if (row.active) active.set(`${row.slo}/${row.severity}`, row.since);
    return active;
  }

  /** Stores evaluations (in time order) and the condition transitions they cause, atomically. */
  recordCycle(evaluations: readonly SloEvaluation[]): ConditionTransition[] {
    return this.db.transaction(() => {
      const active = this.activeConditions();
      const transitions: ConditionTransition[] = [];
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
        for (const decision of evaluation.severities) {
          const key = `${evaluation.slo}/${decision.severity}`;
          const transition = conditionTransition(evaluation.slo, decision.severity, active.has(key), decision.state, evaluation.at);
          if (!transition) continue;
          transitions.push(transition);
          if (transition.state === 'firing') active.set(key, evaluation.at);
          else active.delete(key);
          this.statements.setCondition.run(evaluation.slo, decision.severity, transition.state === 'firing' ? 1 : 0, evaluation.at);
          this.statements.insertTransition.run(transition.slo, transition.severity, transition.state, transition.at);
        }
      }
      return transitions;
    })();
  }

  latest(slo: string): StoredEvaluation | undefined {
    const record = this.statements.latest.get(slo);
    return record && fromRecord(record);
  }

  history(slo: string, from: number, to: number): StoredEvaluation[] {
    return this.statements.history.all(slo, from, to).map(fromRecord);
  }

  transitions(from: number, to: number): ConditionTransition[] {
    return this.statements.transitions.all(from, to);
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
    this.db.prepare('DELETE FROM condition_transitions WHERE at < ?').run(now - policy.keepFor);
    return expired + thinned;
  }
}
