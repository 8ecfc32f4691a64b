import type { FakeAlert, PagerDutyWireEvent } from '../support/fake-pagerduty.js';
import type { PlannedDelivery } from './tally.js';

export interface PagerDutyTally {
  planned: number;
  /** Pages no trigger carried, and resolves no resolve carried (by the incident's dedup_key). */
  lost: string[];
  /** Incidents (dedup_keys) PagerDuty opened more than once. */
  duplicateIncidents: Array<{ dedupKey: string; alerts: number }>;
  /** Incidents still open at PagerDuty although their resolve was planned. */
  unresolved: string[];
  /** PagerDuty alerts whose dedup_key is no planned incident. */
  stray: number;
  /** Events beyond one per planned notification: resends after a kill, folded away by the dedup_key. */
  resends: number;
}

/** What PagerDuty holds, against what was planned: a page is a trigger and a resolve a resolve, both keyed by the incident. */
export function tallyPagerDuty(planned: readonly PlannedDelivery[], events: readonly PagerDutyWireEvent[], alerts: readonly FakeAlert[]): PagerDutyTally {
  const keysOf = (action: string) => new Set(events.filter((e) => e.event_action === action).map((e) => e.dedup_key));
  const triggered = keysOf('trigger');
  const resolved = keysOf('resolve');
  const incidents = new Set(planned.map((p) => p.incident));
  const byKey = new Map<string, FakeAlert[]>();
  for (const alert of alerts) byKey.set(alert.dedupKey, [...(byKey.get(alert.dedupKey) ?? []), alert]);
  const resolves = planned.filter((p) => p.id !== p.incident);
  return {
    planned: planned.length,
    lost: planned.filter((p) => !(p.id === p.incident ? triggered : resolved).has(p.incident)).map((p) => p.id),
    duplicateIncidents: [...byKey].filter(([, found]) => found.length > 1).map(([dedupKey, found]) => ({ dedupKey, alerts: found.length })),
    unresolved: resolves.filter((p) => byKey.get(p.incident)?.some((a) => a.status !== 'resolved') ?? true).map((p) => p.incident),
    stray: [...byKey.keys()].filter((key) => !incidents.has(key)).length,
    resends: events.length - planned.length,
  };
}
