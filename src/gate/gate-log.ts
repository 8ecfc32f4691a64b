import { type Db, migrate, writeTransaction } from '../store/database.js';
import { classifySqliteError } from '../store/sqlite-errors.js';
import type { GateAnswer, GateVerdict } from './gate-answer.js';
import { gateMigrations } from './gate-migrations.js';

/** One recorded gate decision. `asked` is what was asked for: `service checkout` or `slo a, b`. */
export interface GateLogEntry {
  id: number;
  at: number;
  requester: string;
  asked: string;
  services: string[];
  slos: string[];
  verdict: GateVerdict;
  overridden: boolean;
  overrideId: string | null;
  answer: GateAnswer;
}

export interface GateLogQuery {
  service?: string;
  since?: number;
  limit?: number;
}

interface Row {
  id: number;
  at: number;
  requester: string;
  asked: string;
  services: string;
  slos: string;
  verdict: GateVerdict;
  overridden: number;
  override_id: string | null;
  figures: string;
}

const list = (text: string): string[] => text.split(',').filter(Boolean);

/** What was asked, in the log's words. */
export const askedFor = (answer: GateAnswer): string =>
  answer.request.service !== null ? `service ${answer.request.service}` : `slo ${answer.request.slos.join(', ')}`;

/**
 * How a decision is written while another connection holds the write lock (the embedded store's ingest worker
 * copying a push): `wait` blocks for the busy timeout, as every write does; `defer` (the daemon) keeps the row and
 * writes it a moment later, so a gate answer never holds the HTTP server's event loop behind a push. A deferred row
 * is lost only if the process dies within that moment.
 */
export type GateLogWrites = 'wait' | 'defer';

type InsertParams = Record<string, string | number | null>;

const retryMs = 20;

/** Every gate decision in SQLite (migrations component `gate`): who asked, for what, the verdict and its figures. */
export class GateLog {
  private readonly statements;
  private readonly pending: InsertParams[] = [];
  private retry: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly db: Db,
    private readonly writes: GateLogWrites = 'wait',
  ) {
    migrate(db, 'gate', gateMigrations);
    this.statements = {
      insert: db.prepare(`INSERT INTO gate_log (at, requester, asked, services, slos, verdict, overridden, override_id, figures)
        VALUES (@at, @requester, @asked, @services, @slos, @verdict, @overridden, @overrideId, @figures)`),
      list: db.prepare<{ since: number; service: string | null; limit: number }, Row>(`SELECT * FROM gate_log
        WHERE at >= @since AND (@service IS NULL OR instr(services, ',' || @service || ',') > 0)
        ORDER BY at DESC, id DESC LIMIT @limit`),
      prune: db.prepare<[number]>('DELETE FROM gate_log WHERE at < ?'),
    };
  }

  /** Records a decision (`defer`: now, or a moment later if another connection holds the write lock). */
  record(answer: GateAnswer, requester: string, at: number): void {
    const services = [...new Set(answer.slos.map((s) => s.service))].sort();
    const row: InsertParams = {
      at,
      requester,
      asked: askedFor(answer),
      services: `,${services.join(',')},`,
      slos: `,${answer.slos.map((s) => s.slo).join(',')},`,
      verdict: answer.verdict,
      overridden: answer.overridden ? 1 : 0,
      overrideId: answer.override?.id ?? null,
      figures: JSON.stringify(answer),
    };
    if (this.writes === 'wait') {
      this.statements.insert.run(row);
      return;
    }
    this.pending.push(row);
    try {
      this.writePending(false);
    } catch (error) {
      // The request fails (a storage fault): its decision was never given, so it is not logged.
      this.pending.pop();
      throw error;
    }
  }

  /** Writes the rows that waited for the lock, waiting for it now: before reading, and when the daemon stops. */
  flush(): void {
    this.writePending(true);
  }

  private writePending(wait: boolean): void {
    if (this.pending.length === 0) return;
    if (this.retry !== undefined) clearTimeout(this.retry);
    this.retry = undefined;
    const timeout = Number(this.db.pragma('busy_timeout', { simple: true }));
    if (!wait) this.db.pragma('busy_timeout = 0');
    try {
      writeTransaction(this.db, () => {
        for (const row of this.pending) this.statements.insert.run(row);
      });
      this.pending.length = 0;
    } catch (error) {
      if (wait || classifySqliteError(error) !== 'busy') throw error;
      this.retry = setTimeout(() => this.writePending(false), retryMs);
      this.retry.unref();
    } finally {
      if (!wait) this.db.pragma(`busy_timeout = ${timeout}`);
    }
  }

  /** Deletes decisions made before `at` (unix seconds); returns how many went. */
  prune(at: number): number {
    this.flush();
    return this.statements.prune.run(at).changes;
  }

  /** Decisions newest first; `service` matches every decision that judged one of its SLOs (literally: `%` is no wildcard). */
  list(query: GateLogQuery = {}): GateLogEntry[] {
    this.flush();
    return this.statements.list
      .all({ since: query.since ?? Number.NEGATIVE_INFINITY, service: query.service ?? null, limit: query.limit ?? 100 })
      .map((row) => ({
        id: row.id,
        at: row.at,
        requester: row.requester,
        asked: row.asked,
        services: list(row.services),
        slos: list(row.slos),
        verdict: row.verdict,
        overridden: row.overridden === 1,
        overrideId: row.override_id,
        answer: JSON.parse(row.figures) as GateAnswer,
      }));
  }
}

/** A log entry as the API and `gate log --format json` show it. */
export function gateLogView(entry: GateLogEntry) {
  return {
    id: entry.id,
    at: entry.answer.at,
    requester: entry.requester,
    asked: entry.asked,
    verdict: entry.verdict,
    overridden: entry.overridden,
    overrideId: entry.overrideId,
    reasons: entry.answer.reasons,
    slos: entry.answer.slos,
  };
}
