import { type Db, migrate, type Migration, writeTransaction } from '../store/database.js';
import type { DeliveryReceipt, ThreadRef } from './channel.js';
import type { NflogEntry } from './dedup-decision.js';
import type { ExtraRow, GroupRow, NotifyPlan, OutboxInsert, OutboxReason } from './notify-plan.js';
import type { PlannedNotification } from './planned-notification.js';

export type { GroupRow, OutboxReason } from './notify-plan.js';

const migrations: Migration[] = [
  {
    version: 1,
    description: 'aggregation groups, notification log, incident threads and the delivery outbox',
    up: `
      CREATE TABLE notify_groups (
        group_id TEXT PRIMARY KEY,
        route_id TEXT NOT NULL,
        group_key TEXT NOT NULL,
        receiver TEXT NOT NULL,
        labels TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        next_flush_at INTEGER NOT NULL
      );
      CREATE TABLE nflog (
        group_id TEXT NOT NULL,
        integration TEXT NOT NULL,
        firing TEXT NOT NULL,
        resolved TEXT NOT NULL,
        sent_at INTEGER NOT NULL,
        incident TEXT,
        PRIMARY KEY (group_id, integration)
      );
      CREATE TABLE incident_threads (
        incident TEXT NOT NULL,
        integration TEXT NOT NULL,
        thread TEXT NOT NULL,
        PRIMARY KEY (incident, integration)
      );
      CREATE TABLE outbox (
        id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL,
        group_id TEXT NOT NULL,
        integration TEXT NOT NULL,
        incident TEXT NOT NULL,
        reason TEXT NOT NULL,
        notification TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        last_error TEXT,
        finished_at INTEGER,
        receipt TEXT
      );
      CREATE INDEX outbox_open ON outbox (state, next_attempt_at);
      CREATE INDEX outbox_lane ON outbox (group_id, integration, seq);
    `,
  },
];

export type OutboxState = 'pending' | 'sending' | 'sent' | 'failed';

export interface OutboxRow {
  id: string;
  groupId: string;
  integration: string;
  incident: string;
  reason: OutboxReason;
  notification: PlannedNotification;
  createdAt: number;
  state: OutboxState;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  finishedAt: number | null;
  receipt: DeliveryReceipt | null;
}

interface OutboxRecord {
  id: string;
  group_id: string;
  integration: string;
  incident: string;
  reason: OutboxReason;
  notification: string;
  created_at: number;
  state: OutboxState;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  finished_at: number | null;
  receipt: string | null;
}

const fromOutbox = (r: OutboxRecord): OutboxRow => ({
  id: r.id,
  groupId: r.group_id,
  integration: r.integration,
  incident: r.incident,
  reason: r.reason,
  notification: JSON.parse(r.notification) as PlannedNotification,
  createdAt: r.created_at,
  state: r.state,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
  finishedAt: r.finished_at,
  receipt: r.receipt === null ? null : (JSON.parse(r.receipt) as DeliveryReceipt),
});

/** The dispatcher's durable state. Every decision and every delivery outcome is one transaction. */
export class NotifyStore {
  private readonly s;

  constructor(readonly db: Db) {
    migrate(db, 'notify', migrations);
    this.s = {
      groups: db.prepare<[], { group_id: string; route_id: string; group_key: string; receiver: string; labels: string; created_at: number; next_flush_at: number }>(
        'SELECT * FROM notify_groups',
      ),
      insertGroup: db.prepare(
        'INSERT OR IGNORE INTO notify_groups (group_id, route_id, group_key, receiver, labels, created_at, next_flush_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      setFlush: db.prepare('UPDATE notify_groups SET next_flush_at = ? WHERE group_id = ?'),
      deleteGroup: db.prepare('DELETE FROM notify_groups WHERE group_id = ?'),
      nflog: db.prepare<[string, string], { firing: string; resolved: string; sent_at: number; incident: string | null }>(
        'SELECT firing, resolved, sent_at, incident FROM nflog WHERE group_id = ? AND integration = ?',
      ),
      putNflog: db.prepare(`INSERT INTO nflog (group_id, integration, firing, resolved, sent_at, incident) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT(group_id, integration) DO UPDATE SET firing = excluded.firing, resolved = excluded.resolved, sent_at = excluded.sent_at, incident = excluded.incident`),
      thread: db.prepare<[string, string], { thread: string }>('SELECT thread FROM incident_threads WHERE incident = ? AND integration = ?'),
      putThread: db.prepare('INSERT OR REPLACE INTO incident_threads (incident, integration, thread) VALUES (?, ?, ?)'),
      nextSeq: db.prepare<[], { seq: number }>('SELECT coalesce(max(seq), 0) + 1 AS seq FROM outbox'),
      insertOutbox: db.prepare(`INSERT INTO outbox (id, seq, group_id, integration, incident, reason, notification, created_at, state, next_attempt_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)`),
      // The head of each lane (group × integration): deliveries of one incident go out in order.
      due: db.prepare<[number], OutboxRecord>(`SELECT o.* FROM outbox o
        WHERE o.state IN ('pending', 'sending') AND o.next_attempt_at <= ?
          AND o.seq = (SELECT min(seq) FROM outbox h WHERE h.group_id = o.group_id AND h.integration = o.integration AND h.state IN ('pending', 'sending'))
        ORDER BY o.seq`),
      markSending: db.prepare("UPDATE outbox SET state = 'sending', attempts = attempts + 1, next_attempt_at = ? WHERE id = ?"),
      markSent: db.prepare("UPDATE outbox SET state = 'sent', finished_at = ?, receipt = ?, last_error = NULL WHERE id = ?"),
      markRetry: db.prepare('UPDATE outbox SET state = ?, next_attempt_at = ?, last_error = ? WHERE id = ?'),
      markFailed: db.prepare("UPDATE outbox SET state = 'failed', finished_at = ?, last_error = ? WHERE id = ?"),
      outcome: db.prepare<[string], { state: OutboxState; receipt: string | null }>('SELECT state, receipt FROM outbox WHERE id = ?'),
      byState: db.prepare<[string], OutboxRecord>('SELECT * FROM outbox WHERE state = ? ORDER BY seq'),
      all: db.prepare<[], OutboxRecord>('SELECT * FROM outbox ORDER BY seq'),
      depth: db.prepare<[], { n: number }>("SELECT count(*) AS n FROM outbox WHERE state IN ('pending', 'sending')"),
      prune: db.prepare("DELETE FROM outbox WHERE state IN ('sent', 'failed') AND finished_at < ?"),
    };
  }

  groups(): GroupRow[] {
    return this.s.groups.all().map((r) => ({
      groupId: r.group_id,
      routeId: r.route_id,
      groupKey: r.group_key,
      receiver: r.receiver,
      labels: JSON.parse(r.labels) as Record<string, string>,
      createdAt: r.created_at,
      nextFlushAt: r.next_flush_at,
    }));
  }

  addGroup(group: GroupRow): void {
    this.s.insertGroup.run(group.groupId, group.routeId, group.groupKey, group.receiver, JSON.stringify(group.labels), group.createdAt, group.nextFlushAt);
  }

  setNextFlush(groupId: string, at: number): void {
    this.s.setFlush.run(at, groupId);
  }

  deleteGroup(groupId: string): void {
    this.s.deleteGroup.run(groupId);
  }

  nflog(groupId: string, integration: string): (NflogEntry & { incident: string | null }) | undefined {
    const row = this.s.nflog.get(groupId, integration);
    return row && { firing: JSON.parse(row.firing) as string[], resolved: JSON.parse(row.resolved) as string[], sentAt: row.sent_at, incident: row.incident };
  }

  /** Records a decision: the log entry and, when something is to be sent, the outbox row — atomically. */
  plan(input: {
    groupId: string;
    integration: string;
    entry: NflogEntry & { incident: string | null };
    outbox: OutboxInsert | null;
  }): void {
    writeTransaction(this.db, () => {
      const { groupId, integration, entry, outbox } = input;
      this.s.putNflog.run(groupId, integration, JSON.stringify(entry.firing), JSON.stringify(entry.resolved), entry.sentAt, entry.incident);
      if (outbox) {
        const { seq } = this.s.nextSeq.get()!;
        this.s.insertOutbox.run(outbox.id, seq, groupId, integration, outbox.incident, outbox.reason, JSON.stringify(outbox.notification), outbox.at, outbox.at);
      }
    });
  }

  /**
   * Adds rows beside a decision, without touching the notification log: the escalation notes on ticket threads
   * that the page just planned supersedes. Call in the same transaction as that page's {@link plan}.
   */
  enqueue(rows: ReadonlyArray<ExtraRow>): void {
    writeTransaction(this.db, () => {
      for (const { groupId, integration, outbox } of rows) {
        const { seq } = this.s.nextSeq.get()!;
        this.s.insertOutbox.run(outbox.id, seq, groupId, integration, outbox.incident, outbox.reason, JSON.stringify(outbox.notification), outbox.at, outbox.at);
      }
    });
  }

  /**
   * Applies one beat's plan in one transaction: the groups opened and dropped, then each flush in order (its
   * decisions, the escalation notes beside them, its next flush or its closing). A crash leaves all of it or none.
   */
  apply(plan: NotifyPlan): void {
    writeTransaction(this.db, () => {
      for (const group of plan.opened) this.addGroup(group);
      for (const groupId of plan.dropped) this.deleteGroup(groupId);
      for (const flush of plan.flushes) {
        for (const { groupId, integration, entry, outbox } of flush.decisions) this.plan({ groupId, integration, entry, outbox });
        if (flush.escalations.length > 0) this.enqueue(flush.escalations);
        if (flush.nextFlushAt === null) this.deleteGroup(flush.groupId);
        else this.setNextFlush(flush.groupId, flush.nextFlushAt);
      }
    });
  }

  /** Runs `work` in one transaction (nested calls join it). */
  atomically<T>(work: () => T): T {
    return writeTransaction(this.db, work);
  }

  /** A row's state and, once sent, its receipt; undefined when there is no such row (pruned). */
  outcome(id: string): { state: OutboxState; receipt: DeliveryReceipt | null } | undefined {
    const row = this.s.outcome.get(id);
    return row && { state: row.state, receipt: row.receipt === null ? null : (JSON.parse(row.receipt) as DeliveryReceipt) };
  }

  due(now: number): OutboxRow[] {
    return this.s.due.all(now).map(fromOutbox);
  }

  thread(incident: string, integration: string): ThreadRef | null {
    const row = this.s.thread.get(incident, integration);
    return row ? (JSON.parse(row.thread) as ThreadRef) : null;
  }

  /**
   * Marks an attempt as started, leased until `leaseUntil`: if this process dies mid-attempt, the row is taken
   * up again only after the lease, when a request it had sent has either arrived or died with it.
   */
  markSending(id: string, leaseUntil: number): void {
    this.s.markSending.run(leaseUntil, id);
  }

  /** A delivery succeeded: the outcome and the incident's thread, in one transaction. */
  markSent(row: OutboxRow, receipt: DeliveryReceipt, thread: ThreadRef, now: number): void {
    writeTransaction(this.db, () => {
      this.s.markSent.run(now, JSON.stringify(receipt), row.id);
      this.s.putThread.run(row.incident, row.integration, JSON.stringify(thread));
    });
  }

  /**
   * Schedules another attempt. `uncertain`: the receiver may have acted on the failed attempt (a timeout or a
   * dropped connection after the request went out); the row stays `sending`, so the next attempt first asks
   * the receiver whether it arrived.
   */
  markRetry(id: string, nextAttemptAt: number, error: string, uncertain: boolean): void {
    this.s.markRetry.run(uncertain ? 'sending' : 'pending', nextAttemptAt, error, id);
  }

  markFailed(id: string, now: number, error: string): void {
    this.s.markFailed.run(now, error, id);
  }

  outbox(state?: OutboxState): OutboxRow[] {
    return (state ? this.s.byState.all(state) : this.s.all.all()).map(fromOutbox);
  }

  depth(): number {
    return this.s.depth.get()!.n;
  }

  prune(before: number): number {
    return this.s.prune.run(before).changes;
  }
}
