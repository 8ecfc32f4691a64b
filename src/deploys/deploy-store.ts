import { type Db, migrate, type Migration, writeTransaction } from '../store/database.js';
import type { DeployEvent } from './deploy.js';
import { deployId } from './deploy-id.js';
import type { DeployInput } from './deploy-input.js';
import { idempotencyKeyRetention, IdempotencyKeyReused, type IdempotencyClaim } from './idempotency-key.js';

const migrations: Migration[] = [
  {
    version: 1,
    description: 'deploy events',
    up: `
      CREATE TABLE deploys (
        id TEXT PRIMARY KEY,
        service TEXT NOT NULL,
        environment TEXT,
        version TEXT,
        commit_hash TEXT,
        repository_url TEXT,
        author TEXT,
        started_at REAL,
        finished_at REAL NOT NULL,
        url TEXT,
        summary TEXT,
        tags TEXT NOT NULL,
        source TEXT NOT NULL,
        recorded_at REAL NOT NULL,
        identity TEXT NOT NULL UNIQUE
      );
      CREATE INDEX deploys_service_finished ON deploys (service, finished_at);
      CREATE INDEX deploys_finished ON deploys (finished_at);
    `,
  },
  {
    version: 2,
    description: 'idempotency keys of recorded deploys',
    up: `
      CREATE TABLE deploy_idempotency_keys (
        key TEXT PRIMARY KEY,
        fingerprint TEXT NOT NULL,
        deploy_id TEXT NOT NULL REFERENCES deploys (id),
        created_at REAL NOT NULL
      );
      CREATE INDEX deploy_idempotency_keys_created ON deploy_idempotency_keys (created_at);
    `,
  },
  {
    version: 3,
    description: 'where a deploy is rolled back',
    up: 'ALTER TABLE deploys ADD COLUMN rollback_url TEXT;',
  },
];

/** Retries of a CI step without a finish time within this long are one deploy, unless configured otherwise. */
export const defaultDedupWindow = 600;

export interface DeployStoreOptions {
  /** Seconds; see {@link SaveOptions.finishTimeDefaulted}. 0 turns the window off. */
  dedupWindow?: number;
}

export interface SaveOptions {
  /**
   * The sender gave no finish time, so it is the recording time and differs on every retry. Then a deploy of the
   * same service, environment, version and commit, recorded by CI (API or CLI, not build_info), that finished
   * within the dedup window of now is this deploy.
   */
  finishTimeDefaulted?: boolean;
  /** The client's `Idempotency-Key`: the same key again answers with the deploy it recorded first. */
  idempotency?: IdempotencyClaim;
}

export interface DeployFilter {
  service?: string;
  /** Unix seconds, inclusive bounds on finishedAt. */
  from?: number;
  to?: number;
  /** Default 100, at most 1000. */
  limit?: number;
}

/**
 * How a recorded deploy was matched: `new`, `identical` (same service, environment, version, commit and finish
 * time), `recent` (no finish time given; the same deploy finished within the dedup window), `idempotency-key`.
 */
export type RecordMatch = 'new' | 'identical' | 'recent' | 'idempotency-key';

export interface RecordResult {
  event: DeployEvent;
  /** False when the same deploy was already stored (a retried CI step, a rescan of build_info). */
  created: boolean;
  match: RecordMatch;
}

export const defaultListLimit = 100;
export const maxListLimit = 1000;

interface DeployRow {
  id: string;
  service: string;
  environment: string | null;
  version: string | null;
  commit_hash: string | null;
  repository_url: string | null;
  author: string | null;
  started_at: number | null;
  finished_at: number;
  url: string | null;
  rollback_url: string | null;
  summary: string | null;
  tags: string;
  source: DeployEvent['source'];
}

const fromRow = (r: DeployRow): DeployEvent => ({
  id: r.id,
  service: r.service,
  environment: r.environment,
  version: r.version,
  commit: r.commit_hash,
  repositoryUrl: r.repository_url,
  author: r.author,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  url: r.url,
  rollbackUrl: r.rollback_url,
  summary: r.summary,
  tags: JSON.parse(r.tags) as string[],
  source: r.source,
});

/** What makes two records the same deploy. */
const identity = (input: DeployInput): string =>
  JSON.stringify([input.service, input.environment ?? null, input.version ?? null, input.commit ?? null, input.finishedAt]);

const columns = 'id, service, environment, version, commit_hash, repository_url, author, started_at, finished_at, url, rollback_url, summary, tags, source';

/** Deploy events in SQLite (component `deploys`). Times are unix seconds. */
export class DeployStore {
  private readonly insertStatement;
  private readonly byIdentity;
  private readonly byId;
  private readonly recentSame;
  private readonly keyLookup;
  private readonly keyInsert;
  private readonly keyPrune;
  private readonly dedupWindow: number;

  constructor(
    private readonly db: Db,
    options: DeployStoreOptions = {},
  ) {
    this.dedupWindow = options.dedupWindow ?? defaultDedupWindow;
    migrate(db, 'deploys', migrations);
    this.insertStatement = db.prepare(
      `INSERT INTO deploys (${columns}, recorded_at, identity) VALUES
       (@id, @service, @environment, @version, @commit_hash, @repository_url, @author, @started_at, @finished_at, @url, @rollback_url, @summary, @tags, @source, @recorded_at, @identity)
       ON CONFLICT (identity) DO NOTHING`,
    );
    this.byIdentity = db.prepare(`SELECT ${columns} FROM deploys WHERE identity = ?`);
    this.byId = db.prepare(`SELECT ${columns} FROM deploys WHERE id = ?`);
    this.recentSame = db.prepare(
      `SELECT ${columns} FROM deploys
       WHERE service = @service AND environment IS @environment AND version IS @version AND commit_hash IS @commit
         AND source != 'build_info' AND finished_at >= @from AND finished_at <= @to
       ORDER BY finished_at DESC, id DESC LIMIT 1`,
    );
    this.keyLookup = db.prepare('SELECT fingerprint, deploy_id FROM deploy_idempotency_keys WHERE key = ?');
    this.keyInsert = db.prepare('INSERT INTO deploy_idempotency_keys (key, fingerprint, deploy_id, created_at) VALUES (?, ?, ?, ?)');
    this.keyPrune = db.prepare('DELETE FROM deploy_idempotency_keys WHERE created_at < ?');
  }

  /** Stores a deploy, or returns the stored one when the same deploy was recorded before. */
  record(input: DeployInput, now: number, source: DeployEvent['source'] = 'api'): DeployEvent {
    return this.save(input, now, source).event;
  }

  /**
   * Like {@link record}, saying whether the event is new and what it matched. Throws {@link IdempotencyKeyReused}
   * when the idempotency key was used with another body.
   */
  save(input: DeployInput, now: number, source: DeployEvent['source'] = 'api', options: SaveOptions = {}): RecordResult {
    return writeTransaction(this.db, (): RecordResult => {
      const { idempotency } = options;
      if (idempotency !== undefined) {
        this.keyPrune.run(now - idempotencyKeyRetention);
        const claimed = this.keyLookup.get(idempotency.key) as { fingerprint: string; deploy_id: string } | undefined;
        if (claimed !== undefined) {
          if (claimed.fingerprint !== idempotency.fingerprint) throw new IdempotencyKeyReused(idempotency.key, claimed.deploy_id);
          return { event: fromRow(this.byId.get(claimed.deploy_id) as DeployRow), created: false, match: 'idempotency-key' };
        }
      }
      const result = (options.finishTimeDefaulted === true && this.recent(input)) || this.insert(input, now, source);
      if (idempotency !== undefined) this.keyInsert.run(idempotency.key, idempotency.fingerprint, result.event.id, now);
      return result;
    });
  }

  /** The same deploy recorded by CI within the dedup window of its (defaulted) finish time. */
  private recent(input: DeployInput): RecordResult | undefined {
    if (this.dedupWindow <= 0) return undefined;
    const row = this.recentSame.get({
      service: input.service,
      environment: input.environment ?? null,
      version: input.version ?? null,
      commit: input.commit ?? null,
      from: input.finishedAt - this.dedupWindow,
      to: input.finishedAt + this.dedupWindow,
    }) as DeployRow | undefined;
    return row && { event: fromRow(row), created: false, match: 'recent' };
  }

  private insert(input: DeployInput, now: number, source: DeployEvent['source']): RecordResult {
    const key = identity(input);
    const info = this.insertStatement.run({
      id: deployId(now),
      service: input.service,
      environment: input.environment ?? null,
      version: input.version ?? null,
      commit_hash: input.commit ?? null,
      repository_url: input.repositoryUrl ?? null,
      author: input.author ?? null,
      started_at: input.startedAt ?? null,
      finished_at: input.finishedAt,
      url: input.url ?? null,
      rollback_url: input.rollbackUrl ?? null,
      summary: input.summary ?? null,
      tags: JSON.stringify(input.tags ?? []),
      source,
      recorded_at: now,
      identity: key,
    });
    const row = this.byIdentity.get(key) as DeployRow;
    const created = info.changes === 1;
    return { event: fromRow(row), created, match: created ? 'new' : 'identical' };
  }

  /** Every deploy finished in [from, to], newest first: a time range, not a page (the daemon's watch after deploys). */
  finishedBetween(from: number, to: number): DeployEvent[] {
    return (this.db.prepare(`SELECT ${columns} FROM deploys WHERE finished_at >= ? AND finished_at <= ? ORDER BY finished_at DESC, id DESC`).all(from, to) as DeployRow[]).map(fromRow);
  }

  /** The deploy recorded with this id. */
  get(id: string): DeployEvent | undefined {
    const row = this.byId.get(id) as DeployRow | undefined;
    return row && fromRow(row);
  }

  /** Deploys newest first. */
  list(filter: DeployFilter = {}): DeployEvent[] {
    const where: string[] = [];
    const params: Array<string | number> = [];
    if (filter.service !== undefined) {
      where.push('service = ?');
      params.push(filter.service);
    }
    if (filter.from !== undefined) {
      where.push('finished_at >= ?');
      params.push(filter.from);
    }
    if (filter.to !== undefined) {
      where.push('finished_at <= ?');
      params.push(filter.to);
    }
    const limit = Math.min(Math.max(1, Math.floor(filter.limit ?? defaultListLimit)), maxListLimit);
    const sql = `SELECT ${columns} FROM deploys ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY finished_at DESC, id DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...params, limit) as DeployRow[]).map(fromRow);
  }

  /**
   * The latest deploy of any of `services` that finished in [before − lookback, before]: the deploy that
   * preceded a burn starting at `before`. `environment` null matches every environment; otherwise it must equal.
   */
  preceding(services: readonly string[], environment: string | null, before: number, lookback: number): DeployEvent | undefined {
    if (services.length === 0) return undefined;
    const row = this.db
      .prepare(
        `SELECT ${columns} FROM deploys
         WHERE service IN (${services.map(() => '?').join(', ')}) AND finished_at >= ? AND finished_at <= ?
         ${environment === null ? '' : 'AND environment = ?'}
         ORDER BY finished_at DESC, id DESC LIMIT 1`,
      )
      .get(...services, before - lookback, before, ...(environment === null ? [] : [environment])) as DeployRow | undefined;
    return row && fromRow(row);
  }

  /**
   * The version of the service's latest deploy that names one; `atOrBefore` limits it to deploys finished by
   * then, `source` to deploys recorded one way.
   */
  latestVersion(service: string, environment: string | null, options: { atOrBefore?: number; source?: DeployEvent['source'] } = {}): string | undefined {
    const where = ['service = ?', 'version IS NOT NULL'];
    const params: Array<string | number> = [service];
    if (environment !== null) {
      where.push('environment = ?');
      params.push(environment);
    }
    if (options.atOrBefore !== undefined) {
      where.push('finished_at <= ?');
      params.push(options.atOrBefore);
    }
    if (options.source !== undefined) {
      where.push('source = ?');
      params.push(options.source);
    }
    const version = this.db
      .prepare(`SELECT version FROM deploys WHERE ${where.join(' AND ')} ORDER BY finished_at DESC, id DESC LIMIT 1`)
      .pluck()
      .get(...params) as string | undefined;
    return version ?? undefined;
  }
}
