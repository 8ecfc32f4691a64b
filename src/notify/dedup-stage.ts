import type { StoredAlert } from '../alerting/alert-store.js';
import { dedupDecision, type DedupReason, type NflogEntry } from './dedup-decision.js';
import type { GroupSettings } from './routing-port.js';

/** What was last notified on one lane (group × integration), and the incident it opened (null once all resolved). */
export type LaneLog = NflogEntry & { incident: string | null };

/** One lane at a flush: the group's alerts (firing first), what is muted, and the lane's notification log. */
export interface LaneInput {
  alerts: readonly StoredAlert[];
  muted: ReadonlySet<string>;
  entry: LaneLog | undefined;
  settings: GroupSettings;
}

/** The lane's alerts as the receiver is to know them, and whether to notify. */
export interface LaneDecision {
  /** Firing and not muted. */
  firing: StoredAlert[];
  /** Resolved, and notified firing before: a resolve is news only for alerts the receiver was told were firing. */
  resolved: StoredAlert[];
  /** Fingerprints the last notification said were firing. */
  notified: ReadonlySet<string>;
  /** An alert of the group still fires (muted or not): the group stays open. */
  open: boolean;
  reason: DedupReason;
}

/**
 * Dedup (Alertmanager's DedupStage): the lane's firing and newly resolved alerts and {@link dedupDecision}'s reason
 * to notify. A lane whose firing alerts are all muted and that has nothing resolved to tell is `none` without a
 * decision, as if the group were empty: the log keeps what was sent.
 */
export function dedupStage<T extends LaneInput>(input: T, now: number): T & LaneDecision {
  const { alerts, muted, entry, settings } = input;
  const notified = new Set(entry?.firing ?? []);
  const firing = alerts.filter((a) => a.state === 'firing' && !muted.has(a.fingerprint));
  const resolved = alerts.filter((a) => a.state === 'resolved' && notified.has(a.fingerprint));
  const open = alerts.some((a) => a.state === 'firing');
  const allMuted = firing.length === 0 && resolved.length === 0 && open;
  const reason = allMuted ? 'none' : dedupDecision(entry, new Set(firing.map((a) => a.fingerprint)), new Set(resolved.map((a) => a.fingerprint)), settings, now);
  return { ...input, firing, resolved, notified, open, reason };
}
