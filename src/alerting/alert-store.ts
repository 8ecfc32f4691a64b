import type { EvaluationFigures } from './evaluation-figures.js';
import type { Db } from '../store/database.js';
import type { Alert, AlertKind, AlertState } from './alert.js';
import { alertChanges, type AlertChange } from './alert-history.js';
import { migrateAlerts } from './alert-migrations.js';
import type { Severity } from '../slo/model.js';

export interface StoredAlert extends Alert {
  figures: EvaluationFigures;
}

interface AlertRecord {
  fingerprint: string;
  slo: string;
  kind: AlertKind;
  severity: Severity;
  labels: string;
  state: AlertState;
  active_at: number;
  fired_at: number | null;
  resolved_at: number | null;
  updated_at: number;
  figures: string;
}

const fromRecord = (r: AlertRecord): StoredAlert => ({
  fingerprint: r.fingerprint,
  slo: r.slo,
  kind: r.kind,
  severity: r.severity,
  labels: JSON.parse(r.labels) as Record<string, string>,
  state: r.state,
  activeAt: r.active_at,
  firedAt: r.fired_at,
  resolvedAt: r.resolved_at,
  updatedAt: r.updated_at,
  figures: JSON.parse(r.figures) as EvaluationFigures,
});

/** An alert_history row: the change with its figures as stored JSON. */
type ChangeRecord = Omit<AlertChange, 'figures'> & { figures: string | null };

const changeFromRecord = (r: ChangeRecord): AlertChange => ({
  fingerprint: r.fingerprint,
  slo: r.slo,
  kind: r.kind,
  severity: r.severity,
  state: r.state,
  at: r.at,
  figures: r.figures === null ? null : (JSON.parse(r.figures) as EvaluationFigures),
});

/**
 * The one persisted alert state and its history: written by the evaluator (through the alert lifecycle) in its
 * cycle's transaction; read by the dispatcher, the HTTP API, the SLO gauges, the gate, reports and the CLI.
 */
export class AlertStore {
  private readonly statements;
  /** Only this process writes alerts (the evaluator), so the dispatcher's once-a-second read can be cached. */
  private notifiableCache: StoredAlert[] | undefined;

  constructor(private readonly db: Db) {
    migrateAlerts(db);
    this.statements = {
      bySlo: db.prepare<[string], AlertRecord>('SELECT * FROM alerts WHERE slo = ?'),
      all: db.prepare<[], AlertRecord>("SELECT * FROM alerts WHERE state != 'pending' ORDER BY slo, kind, severity"),
      everything: db.prepare<[], AlertRecord>('SELECT * FROM alerts ORDER BY slo, kind, severity'),
      openOfKind: db.prepare<[string], AlertRecord>("SELECT * FROM alerts WHERE kind = ? AND state != 'resolved' ORDER BY slo, severity"),
      upsert: db.prepare(`INSERT INTO alerts (fingerprint, slo, kind, severity, labels, state, active_at, fired_at, resolved_at, updated_at, figures)
        VALUES (@fingerprint, @slo, @kind, @severity, @labels, @state, @active_at, @fired_at, @resolved_at, @updated_at, @figures)
        ON CONFLICT(fingerprint) DO UPDATE SET labels = excluded.labels, state = excluded.state, active_at = excluded.active_at,
          fired_at = excluded.fired_at, resolved_at = excluded.resolved_at, updated_at = excluded.updated_at, figures = excluded.figures`),
      delete: db.prepare('DELETE FROM alerts WHERE fingerprint = ?'),
      prune: db.prepare("DELETE FROM alerts WHERE state = 'resolved' AND resolved_at < ?"),
      insertChange: db.prepare(`INSERT OR IGNORE INTO alert_history (fingerprint, slo, kind, severity, state, at, figures)
        VALUES (@fingerprint, @slo, @kind, @severity, @state, @at, @figures)`),
      changes: db.prepare<[number, number], ChangeRecord>(
        'SELECT fingerprint, slo, kind, severity, state, at, figures FROM alert_history WHERE at >= ? AND at <= ? ORDER BY at, id',
      ),
      sloChanges: db.prepare<[string, number, number], ChangeRecord>(
        'SELECT fingerprint, slo, kind, severity, state, at, figures FROM alert_history WHERE slo = ? AND at >= ? AND at <= ? ORDER BY at, id',
      ),
      pruneHistory: db.prepare('DELETE FROM alert_history WHERE at < ?'),
    };
  }

  /** Every alert of an SLO, keyed by fingerprint. */
  forSlo(slo: string): Map<string, StoredAlert> {
    return new Map(this.statements.bySlo.all(slo).map((r) => [r.fingerprint, fromRecord(r)]));
  }

  /** Firing and resolved alerts: what the dispatcher groups. */
  notifiable(): StoredAlert[] {
    this.notifiableCache ??= this.statements.all.all().map(fromRecord);
    return this.notifiableCache;
  }

  /** Pending and firing alerts of one kind (the deploy watch reads its open regressions every cycle). */
  openOfKind(kind: AlertKind): StoredAlert[] {
    return this.statements.openOfKind.all(kind).map(fromRecord);
  }

  all(): StoredAlert[] {
    return this.statements.everything.all().map(fromRecord);
  }

  /**
   * Replaces an SLO's alerts with `next` (absent ones are deleted) after the evaluation `figures` come from,
   * and appends their state changes (at `figures.at`) to the history. Call inside the cycle's transaction.
   */
  replaceForSlo(slo: string, next: ReadonlyMap<string, Alert>, figures: EvaluationFigures): AlertChange[] {
    this.notifiableCache = undefined;
    const previous = this.forSlo(slo);
    const changes = alertChanges(previous, next, figures.at, figures);
    for (const change of changes) this.statements.insertChange.run({ ...change, figures: JSON.stringify(change.figures) });
    for (const id of previous.keys()) if (!next.has(id)) this.statements.delete.run(id);
    for (const alert of next.values()) {
      const before = previous.get(alert.fingerprint);
      // A resolved alert keeps the figures of the moment it resolved.
      const shown = alert.state === 'resolved' && before?.state === 'resolved' ? before.figures : figures;
      this.statements.upsert.run({
        fingerprint: alert.fingerprint,
        slo: alert.slo,
        kind: alert.kind,
        severity: alert.severity,
        labels: JSON.stringify(alert.labels),
        state: alert.state,
        active_at: alert.activeAt,
        fired_at: alert.firedAt,
        resolved_at: alert.resolvedAt,
        updated_at: alert.updatedAt,
        figures: JSON.stringify(shown),
      });
    }
    return changes;
  }

  /** State changes in [from, to], oldest first; of one SLO when `slo` is given. */
  history(from: number, to: number, slo?: string): AlertChange[] {
    const records = slo === undefined ? this.statements.changes.all(from, to) : this.statements.sloChanges.all(slo, from, to);
    return records.map(changeFromRecord);
  }

  /** Forgets alerts resolved before `before`. */
  prune(before: number): number {
    this.notifiableCache = undefined;
    return this.statements.prune.run(before).changes;
  }

  /** Forgets state changes older than `before`. */
  pruneHistory(before: number): number {
    return this.statements.pruneHistory.run(before).changes;
  }
}
