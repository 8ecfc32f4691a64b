import { migrate, type Db } from '../store/database.js';
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

/** Every gate decision in SQLite (migrations component `gate`): who asked, for what, the verdict and its figures. */
export class GateLog {
  private readonly statements;

  constructor(db: Db) {
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

  record(answer: GateAnswer, requester: string, at: number): number {
    const services = [...new Set(answer.slos.map((s) => s.service))].sort();
    const result = this.statements.insert.run({
      at,
      requester,
      asked: askedFor(answer),
      services: `,${services.join(',')},`,
      slos: `,${answer.slos.map((s) => s.slo).join(',')},`,
      verdict: answer.verdict,
      overridden: answer.overridden ? 1 : 0,
      overrideId: answer.override?.id ?? null,
      figures: JSON.stringify(answer),
    });
    return Number(result.lastInsertRowid);
  }

  /** Deletes decisions made before `at` (unix seconds); returns how many went. */
  prune(at: number): number {
    return this.statements.prune.run(at).changes;
  }

  /** Decisions newest first; `service` matches every decision that judged one of its SLOs (literally: `%` is no wildcard). */
  list(query: GateLogQuery = {}): GateLogEntry[] {
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
