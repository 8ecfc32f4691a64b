import type { StoredAlert } from '../alerting/alert-store.js';
import type { LaneDecision, LaneInput } from './dedup-stage.js';
import type { PlannedPage } from './escalation.js';
import { isBurnPage } from './inhibit-stage.js';
import type { LaneRecord } from './notify-plan.js';
import type { PlannedNotification } from './planned-notification.js';

/** The lane being planned: its group and integration. */
export interface LaneTarget {
  groupId: string;
  groupKey: string;
  receiver: string;
  groupLabels: Record<string, string>;
  integration: string;
}

export interface PlanTools {
  newId: () => string;
  describe: (alert: StoredAlert) => PlannedNotification['alerts'][number];
}

/** What a lane's flush plans: the decision to record (none when there is nothing to tell) and the page it sends. */
export interface LanePlan {
  record: LaneRecord | null;
  /** The group still has a firing alert. */
  open: boolean;
  /** A notification is to be sent. */
  planned: boolean;
  /** A notification that newly pages these SLOs: the tickets they supersede are told so. */
  page?: PlannedPage;
}

/**
 * Plan: turns a lane's dedup decision into the notification and the log entry the receiver will then know of.
 * A first notification (or one after the incident closed) opens a new incident whose id is the notification's;
 * later ones join it. A resolve is sent only with `send_resolved`, but always recorded; once nothing fires the
 * log forgets the incident, so the next burn is a new one.
 */
export function planStage(input: LaneInput & LaneDecision & LaneTarget & PlanTools, now: number): LanePlan {
  const { entry, settings, firing, resolved, notified, open, reason } = input;
  if (reason === 'none') return { record: null, open, planned: false };
  const fresh = reason === 'first' || !entry?.incident;
  const incident = fresh ? input.newId() : entry.incident!;
  const id = fresh ? incident : input.newId();
  const send = firing.length > 0 || settings.sendResolved;
  const shown = settings.sendResolved ? [...firing, ...resolved] : firing;
  const notification: PlannedNotification = {
    id,
    receiver: input.receiver,
    groupKey: input.groupKey,
    groupLabels: input.groupLabels,
    status: firing.length > 0 ? 'firing' : 'resolved',
    createdAt: now,
    alerts: shown.map((alert) => input.describe(alert)),
  };
  const record: LaneRecord = {
    groupId: input.groupId,
    integration: input.integration,
    reason,
    entry: { firing: [...new Set(firing.map((a) => a.fingerprint))], resolved: [...new Set(resolved.map((a) => a.fingerprint))], sentAt: now, incident: firing.length > 0 ? incident : null },
    outbox: send ? { id, incident, reason, notification, at: now } : null,
  };
  const paged = firing.filter((a) => isBurnPage(a) && !notified.has(a.fingerprint)).map((a) => a.slo);
  return paged.length > 0 && send ? { record, open, planned: send, page: { id, integration: input.integration, slos: paged } } : { record, open, planned: send };
}
