import { type Db, migrate, type Migration, writeTransaction } from '../store/database.js';

const migrations: Migration[] = [
  {
    version: 1,
    description: 'weekly report deliveries, one row per week, team and receiver integration',
    up: `
      CREATE TABLE report_deliveries (
        week TEXT NOT NULL,
        team TEXT NOT NULL,
        integration TEXT NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        claimed_at INTEGER NOT NULL,
        finished_at INTEGER,
        last_error TEXT,
        PRIMARY KEY (week, team, integration)
      );
    `,
  },
];

/**
 * - `sending`: claimed, outcome not yet written. Found after a restart it means the process died mid-send;
 *   it is never sent again (a second copy is worse than a missing one; the row says what happened).
 * - `sent`: delivered; never sent again.
 * - `failed`: the last attempt failed; the next run tries again.
 */
export type DeliveryState = 'sending' | 'sent' | 'failed';

export interface ReportDelivery {
  week: string;
  team: string;
  integration: string;
  state: DeliveryState;
  attempts: number;
  claimedAt: number;
  finishedAt: number | null;
  lastError: string | null;
}

interface Row {
  week: string;
  team: string;
  integration: string;
  state: DeliveryState;
  attempts: number;
  claimed_at: number;
  finished_at: number | null;
  last_error: string | null;
}

const fromRow = (r: Row): ReportDelivery => ({
  week: r.week,
  team: r.team,
  integration: r.integration,
  state: r.state,
  attempts: r.attempts,
  claimedAt: r.claimed_at,
  finishedAt: r.finished_at,
  lastError: r.last_error,
});

/** Which weekly reports went where (component `reports`): the guard against sending a week twice. */
export class ReportDeliveryStore {
  private readonly statements;

  constructor(private readonly db: Db) {
    migrate(db, 'reports', migrations);
    this.statements = {
      get: db.prepare<[string, string, string], Row>('SELECT * FROM report_deliveries WHERE week = ? AND team = ? AND integration = ?'),
      claimNew: db.prepare("INSERT INTO report_deliveries (week, team, integration, state, attempts, claimed_at) VALUES (?, ?, ?, 'sending', 1, ?)"),
      claimAgain: db.prepare("UPDATE report_deliveries SET state = 'sending', attempts = attempts + 1, claimed_at = ? WHERE week = ? AND team = ? AND integration = ? AND state = 'failed'"),
      finish: db.prepare("UPDATE report_deliveries SET state = ?, finished_at = ?, last_error = ? WHERE week = ? AND team = ? AND integration = ? AND state = 'sending'"),
      forWeek: db.prepare<[string], Row>('SELECT * FROM report_deliveries WHERE week = ? ORDER BY team, integration'),
    };
  }

  /** Atomically takes the right to send: true only when nothing was sent or is being sent for this key. */
  claim(week: string, team: string, integration: string, now: number): boolean {
    return writeTransaction(this.db, () => {
      const existing = this.statements.get.get(week, team, integration);
      if (!existing) return this.statements.claimNew.run(week, team, integration, Math.floor(now)).changes === 1;
      if (existing.state !== 'failed') return false;
      return this.statements.claimAgain.run(Math.floor(now), week, team, integration).changes === 1;
    });
  }

  /** Writes the outcome of a claimed send. */
  finish(week: string, team: string, integration: string, outcome: { ok: true } | { ok: false; error: string }, now: number): void {
    writeTransaction(this.db, () => {
      this.statements.finish.run(outcome.ok ? 'sent' : 'failed', Math.floor(now), outcome.ok ? null : outcome.error, week, team, integration);
    });
  }

  get(week: string, team: string, integration: string): ReportDelivery | undefined {
    const row = this.statements.get.get(week, team, integration);
    return row && fromRow(row);
  }

  forWeek(week: string): ReportDelivery[] {
    return this.statements.forWeek.all(week).map(fromRow);
  }
}
