import { randomUUID } from 'node:crypto';
import type { LabelSet } from '../labels/matchers.js';
import type { Matcher } from '../routing/matcher.js';
import { type Db, migrate, type Migration, writeTransaction } from '../store/database.js';
import { SilenceError, silenceState, type Silence, type SilenceState } from './silence.js';
import { resolveSilenceInput } from './silence-input.js';
import { silenceProblem, silencing } from './silencing.js';

const migrations: readonly Migration[] = [
  {
    version: 1,
    description: 'silences',
    up: `CREATE TABLE silences (
      id TEXT PRIMARY KEY,
      matchers TEXT NOT NULL,
      starts_at REAL NOT NULL,
      ends_at REAL NOT NULL,
      created_by TEXT NOT NULL,
      comment TEXT NOT NULL,
      created_at REAL NOT NULL,
      updated_at REAL NOT NULL
    );
    CREATE INDEX silences_ends_at ON silences (ends_at);`,
  },
];

interface Row {
  id: string;
  matchers: string;
  starts_at: number;
  ends_at: number;
  created_by: string;
  comment: string;
  created_at: number;
  updated_at: number;
}

const stateOrder: Record<SilenceState, number> = { active: 0, pending: 1, expired: 2 };

/**
 * Silences in SQLite (migrations component `silences`). Another process (the CLI beside the daemon) may add or
 * expire silences: `isSilenced` notices through SQLite's data_version and reloads.
 */
export class SilenceStore {
  private readonly newId: () => string;
  private readonly onProblem: ((silence: Silence, problem: string) => void) | undefined;
  private readonly reported = new Set<string>();
  private cache: { silences: Silence[]; from: number; dataVersion: number } | undefined;

  /** `onProblem`: told once per silence that mutes nothing (a stored matcher the engine refuses). */
  constructor(
    private readonly db: Db,
    options: { newId?: () => string; onProblem?: (silence: Silence, problem: string) => void } = {},
  ) {
    migrate(db, 'silences', migrations);
    this.newId = options.newId ?? randomUUID;
    this.onProblem = options.onProblem;
  }

  /** Runs `work` in one transaction: a write whose answer then fails (a 500) leaves no row behind. */
  atomically<T>(work: () => T): T {
    try {
      return writeTransaction(this.db, work);
    } finally {
      this.cache = undefined;
    }
  }

  /** Validates and stores a new silence; throws SilenceError `invalid`. */
  add(input: unknown, now: number): Silence {
    const draft = resolveSilenceInput(input, now);
    const silence: Silence = { id: this.newId(), ...draft, createdAt: now, updatedAt: now };
    this.db
      .prepare(
        `INSERT INTO silences (id, matchers, starts_at, ends_at, created_by, comment, created_at, updated_at)
         VALUES (@id, @matchers, @startsAt, @endsAt, @createdBy, @comment, @createdAt, @updatedAt)`,
      )
      .run({ ...silence, matchers: JSON.stringify(silence.matchers) });
    this.cache = undefined;
    return silence;
  }

  get(id: string): Silence | undefined {
    const row = this.db.prepare('SELECT * FROM silences WHERE id = ?').get(id) as Row | undefined;
    return row && fromRow(row);
  }

  /** Silences in the given states (all when unset): active by end, pending by start, expired latest first. */
  list(query: { state?: SilenceState | readonly SilenceState[]; now: number }): Silence[] {
    const states = query.state === undefined ? undefined : new Set<SilenceState>(typeof query.state === 'string' ? [query.state] : query.state);
    const rows = this.db.prepare('SELECT * FROM silences').all() as Row[];
    return rows
      .map(fromRow)
      .map((silence) => ({ silence, state: silenceState(silence, query.now) }))
      .filter(({ state }) => states === undefined || states.has(state))
      .sort((a, b) => {
        if (a.state !== b.state) return stateOrder[a.state] - stateOrder[b.state];
        const key = a.state === 'active' ? a.silence.endsAt - b.silence.endsAt : a.state === 'pending' ? a.silence.startsAt - b.silence.startsAt : b.silence.endsAt - a.silence.endsAt;
        return key || a.silence.id.localeCompare(b.silence.id);
      })
      .map(({ silence }) => silence);
  }

  /** Ends a silence now (a pending one never starts). Throws SilenceError `not_found` or `already_expired`. */
  expire(id: string, now: number): Silence {
    const silence = this.get(id);
    if (silence === undefined) throw new SilenceError('not_found', `no silence with id ${id}`);
    const state = silenceState(silence, now);
    if (state === 'expired') throw new SilenceError('already_expired', `silence ${id} has already expired`);
    const expired: Silence = { ...silence, startsAt: state === 'pending' ? now : silence.startsAt, endsAt: now, updatedAt: now };
    this.db.prepare('UPDATE silences SET starts_at = ?, ends_at = ?, updated_at = ? WHERE id = ?').run(expired.startsAt, expired.endsAt, now, id);
    this.cache = undefined;
    return expired;
  }

  /** The active silences that mute an alert with these labels. */
  isSilenced(labels: LabelSet, now: number): Silence[] {
    return silencing(this.current(now), labels, now);
  }

  /** Silences not yet ended, from a cache reloaded after any write (here or by another connection). */
  private current(now: number): Silence[] {
    const dataVersion = this.db.pragma('data_version', { simple: true }) as number;
    const cache = this.cache;
    if (cache && cache.dataVersion === dataVersion && now >= cache.from) return cache.silences;
    const rows = this.db.prepare('SELECT * FROM silences WHERE ends_at > ?').all(now) as Row[];
    this.cache = { silences: rows.map(fromRow), from: now, dataVersion };
    for (const silence of this.cache.silences) {
      if (this.reported.has(silence.id)) continue;
      const problem = silenceProblem(silence);
      if (problem === undefined) continue;
      this.reported.add(silence.id);
      this.onProblem?.(silence, problem);
    }
    return this.cache.silences;
  }
}

function fromRow(row: Row): Silence {
  return {
    id: row.id,
    matchers: JSON.parse(row.matchers) as Matcher[],
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    createdBy: row.created_by,
    comment: row.comment,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
