import type { StoredAlert } from '../alerting/alert-store.js';
import type { GroupRow } from './notify-store.js';
import type { GroupMembers } from './route-stage.js';
import type { GroupSettings } from './routing-port.js';

/** A group whose flush is due now, with its current alerts (firing first) and its route's settings. */
export interface DueGroup {
  group: GroupRow;
  settings: GroupSettings;
  alerts: StoredAlert[];
}

export interface GroupTiming {
  /** Groups opened now: a firing alert that is not muted arrived; the first flush waits `group_wait`. */
  opened: GroupRow[];
  /** Groups whose route no longer exists (the routing changed): dropped without a flush. */
  dropped: string[];
  /** Groups whose flush time has come, in the store's order, then the ones opened now. */
  due: DueGroup[];
}

const firingFirst = (a: StoredAlert, b: StoredAlert) =>
  Number(b.state === 'firing') - Number(a.state === 'firing') || a.slo.localeCompare(b.slo) || a.severity.localeCompare(b.severity);

/**
 * Group timing (Alertmanager's aggregation group): a group opens when a firing alert that is not muted is routed
 * to it and first flushes `group_wait` later; each flush that leaves it open sets the next one `group_interval`
 * on ({@link nextFlushAt}). Groups whose route is gone are dropped.
 */
export function groupTiming(
  input: {
    known: readonly GroupRow[];
    members: ReadonlyMap<string, GroupMembers>;
    muted: ReadonlySet<string>;
    settingsOf: (routeId: string) => GroupSettings | undefined;
  },
  now: number,
): GroupTiming {
  const known = new Map(input.known.map((group) => [group.groupId, group]));
  const opened: GroupRow[] = [];
  for (const [groupId, { routed, alerts }] of input.members) {
    if (known.has(groupId) || !alerts.some((a) => a.state === 'firing' && !input.muted.has(a.fingerprint))) continue;
    const group = { groupId, routeId: routed.routeId, groupKey: routed.groupKey, receiver: routed.receiver, labels: { ...routed.groupLabels }, createdAt: now, nextFlushAt: now + routed.settings.groupWait };
    opened.push(group);
    known.set(groupId, group);
  }
  const dropped: string[] = [];
  const due: DueGroup[] = [];
  for (const group of known.values()) {
    const settings = input.settingsOf(group.routeId);
    if (!settings) dropped.push(group.groupId);
    else if (group.nextFlushAt <= now) due.push({ group, settings, alerts: [...(input.members.get(group.groupId)?.alerts ?? [])].sort(firingFirst) });
  }
  return { opened, dropped, due };
}

/** After a flush: the next one `group_interval` on while an alert of the group still fires, else none (closed). */
export function nextFlushAt(open: boolean, settings: GroupSettings, now: number): number | null {
  return open ? now + settings.groupInterval : null;
}
