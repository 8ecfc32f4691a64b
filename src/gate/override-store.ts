import { randomUUID } from 'node:crypto';
import { migrate, type Db } from '../store/database.js';
import { gateMigrations } from './gate-migrations.js';
import type { GateOverride, GateOverrideDraft } from './gate-override.js';

interface Row {
  id: string;
  service: string | null;
  slo: string | null;
  reason: string;
  author: string;
  actor: string | null;
  created_at: number;
  expires_at: number;
}

const fromRow = (row: Row): GateOverride => ({
  id: row.id,
  service: row.service,
  slo: row.slo,
  reason: row.reason,
  author: row.author,
  actor: row.actor,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
});

/** Gate overrides in SQLite (migrations component `gate`), shared by the daemon and the CLI. */
export class OverrideStore {
  private readonly newId: () => string;
  private readonly statements;

  constructor(db: Db, options: { newId?: () => string } = {}) {
    migrate(db, 'gate', gateMigrations);
    this.newId = options.newId ?? randomUUID;
    this.statements = {
      insert: db.prepare(`INSERT INTO gate_overrides (id, service, slo, reason, author, actor, created_at, expires_at)
        VALUES (@id, @service, @slo, @reason, @author, @actor, @createdAt, @expiresAt)`),
      get: db.prepare<[string], Row>('SELECT * FROM gate_overrides WHERE id = ?'),
      active: db.prepare<[number, number], Row>('SELECT * FROM gate_overrides WHERE expires_at > ? AND created_at <= ? ORDER BY created_at DESC, id'),
      all: db.prepare<[], Row>('SELECT * FROM gate_overrides ORDER BY created_at DESC, id'),
      expire: db.prepare<[number, string, number]>('UPDATE gate_overrides SET expires_at = ? WHERE id = ? AND expires_at > ?'),
    };
  }

  /** Records an override; `actor` is who recorded it (the API token's name, `cli:<user>`), beside the claimed author. */
  add(draft: GateOverrideDraft, now: number, actor: string): GateOverride {
    const override: GateOverride = {
      id: this.newId(),
      service: draft.service,
      slo: draft.slo,
      reason: draft.reason,
      author: draft.author,
      actor,
      createdAt: now,
      expiresAt: now + draft.lasts,
    };
    this.statements.insert.run(override);
    return override;
  }

  get(id: string): GateOverride | undefined {
    const row = this.statements.get.get(id);
    return row && fromRow(row);
  }

  /** Overrides in force at `now`, newest first. */
  active(now: number): GateOverride[] {
    return this.statements.active.all(now, now).map(fromRow);
  }

  /** Every override ever made, newest first. */
  all(): GateOverride[] {
    return this.statements.all.all().map(fromRow);
  }

  /** Ends an active override now; undefined when there is no such override, false when it had already expired. */
  expire(id: string, now: number): GateOverride | false | undefined {
    if (!this.get(id)) return undefined;
    if (this.statements.expire.run(now, id, now).changes === 0) return false;
    return this.get(id);
  }
}
