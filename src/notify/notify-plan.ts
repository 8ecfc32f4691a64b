import type { DedupReason } from './dedup-decision.js';
import type { LaneLog } from './dedup-stage.js';
import type { PlannedNotification } from './planned-notification.js';

/** An aggregation group as stored: its route, receiver and group labels, and when it flushes next. */
export interface GroupRow {
  groupId: string;
  routeId: string;
  groupKey: string;
  receiver: string;
  labels: Record<string, string>;
  createdAt: number;
  nextFlushAt: number;
}

/** Why a row was planned: a dedup decision, or the note on a ticket's thread that its burn now pages. */
export type OutboxReason = DedupReason | 'escalated';

/** A notification to deliver, as the outbox takes it. `at`: when it was planned (and first due). */
export interface OutboxInsert {
  id: string;
  incident: string;
  reason: OutboxReason;
  notification: PlannedNotification;
  at: number;
}

/** A dedup decision on one lane: the notification log entry it leaves and, when something is sent, the row. */
export interface LaneRecord {
  groupId: string;
  integration: string;
  reason: DedupReason;
  entry: LaneLog;
  outbox: OutboxInsert | null;
}

/** A row added beside the decisions without touching the notification log (an escalation note). */
export interface ExtraRow {
  groupId: string;
  integration: string;
  outbox: OutboxInsert;
}

/** One group's flush: its lanes' decisions, the escalation notes they cause, and its next flush (null: closed). */
export interface GroupFlush {
  groupId: string;
  groupKey: string;
  decisions: LaneRecord[];
  escalations: ExtraRow[];
  nextFlushAt: number | null;
}

/**
 * What one delivery beat decided, applied by the store in one transaction ({@link NotifyStore.apply}): groups
 * opened and dropped, then each due group's flush in order (its outbox rows take their `seq` in that order).
 */
export interface NotifyPlan {
  opened: GroupRow[];
  dropped: string[];
  flushes: GroupFlush[];
}
