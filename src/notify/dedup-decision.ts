/**
 * What was last notified for one group and integration (Alertmanager's notification log entry).
 * Fingerprint sets; `sentAt` is when that notification was planned.
 */
export interface NflogEntry {
  firing: readonly string[];
  resolved: readonly string[];
  sentAt: number;
}

export type DedupReason = 'first' | 'new-alerts' | 'resolved' | 'repeat-elapsed' | 'none';

const subset = (items: ReadonlySet<string>, of: readonly string[]) => {
  const set = new Set(of);
  return [...items].every((item) => set.has(item));
};

/**
 * Whether a group's current alerts need a notification, and why — Alertmanager's DedupStage semantics:
 * nothing sent yet and something firing; an alert firing that was not in the last notification; every
 * alert resolved after some were notified firing (regardless of send_resolved, so the log is cleared);
 * newly resolved alerts when resolves are sent; or the repeat interval elapsed while still firing.
 * A group whose alerts fired and resolved between two flushes is never notified.
 */
export function dedupDecision(
  entry: NflogEntry | undefined,
  firing: ReadonlySet<string>,
  resolved: ReadonlySet<string>,
  options: { sendResolved: boolean; repeatInterval: number },
  now: number,
): DedupReason {
  if (!entry) return firing.size > 0 ? 'first' : 'none';
  if (!subset(firing, entry.firing)) return entry.firing.length === 0 ? 'first' : 'new-alerts';
  if (firing.size === 0) return entry.firing.length > 0 ? 'resolved' : 'none';
  if (options.sendResolved && !subset(resolved, entry.resolved)) return 'resolved';
  return now - entry.sentAt >= options.repeatInterval ? 'repeat-elapsed' : 'none';
}
