import type { StoredAlert } from '../alerting/alert-store.js';
import type { NflogEntry } from './dedup-decision.js';
import type { ExtraRow } from './notify-plan.js';
import type { PlannedNotification } from './planned-notification.js';
import type { RoutedGroup } from './routing-port.js';

/** A page notification just planned on one integration, and the SLOs it newly pages. */
export interface PlannedPage {
  id: string;
  integration: string;
  slos: readonly string[];
}

/** A ticket lane (group × integration) whose open incident told the receiver that a ticket fires. */
export interface TicketLane {
  groupId: string;
  routed: RoutedGroup;
  integration: string;
  entry: NflogEntry & { incident: string | null };
}

/** An escalation note: a row beside the decisions, on the ticket's lane and incident. */
export type EscalationRow = ExtraRow;

const kindOf = (integration: string) => integration.slice(integration.lastIndexOf('/') + 1);

/** The page to link from a ticket's integration: the same integration, else one of the same kind, else any. */
export function closestPage(pages: readonly PlannedPage[], integration: string): PlannedPage | undefined {
  return pages.find((p) => p.integration === integration) ?? pages.find((p) => kindOf(p.integration) === kindOf(integration)) ?? pages[0];
}

/**
 * The notes that tell already-notified tickets their burn now pages: one per ticket lane whose open incident
 * included the ticket of a newly paged SLO. Each re-renders that lane's message (its notified alerts, current
 * figures) marked as escalated, threaded onto the ticket's incident, linking to the page; the page itself is
 * a message of its own. The delivery worker sends a note only after its page was delivered (or given up).
 */
export function escalationRows(input: {
  pages: readonly PlannedPage[];
  alerts: readonly StoredAlert[];
  lanesOf: (ticket: StoredAlert) => TicketLane[];
  describe: (alerts: readonly StoredAlert[]) => PlannedNotification['alerts'];
  newId: () => string;
  now: number;
}): EscalationRow[] {
  const { pages, alerts, now } = input;
  const paged = new Set(pages.flatMap((p) => p.slos));
  const lanes = new Map<string, { lane: TicketLane; slos: Set<string> }>();
  for (const ticket of alerts) {
    if (ticket.kind !== 'burn' || ticket.severity !== 'ticket' || ticket.state !== 'firing' || !paged.has(ticket.slo)) continue;
    for (const lane of input.lanesOf(ticket)) {
      if (lane.entry.incident === null || !lane.entry.firing.includes(ticket.fingerprint)) continue;
      const key = `${lane.groupId}\u001f${lane.integration}`;
      const found = lanes.get(key) ?? { lane, slos: new Set<string>() };
      found.slos.add(ticket.slo);
      lanes.set(key, found);
    }
  }
  const rows: EscalationRow[] = [];
  for (const { lane, slos } of lanes.values()) {
    const page = closestPage(pages, lane.integration);
    if (!page || lane.entry.incident === null) continue;
    const notified = new Set(lane.entry.firing);
    const id = input.newId();
    const notification: PlannedNotification = {
      id,
      receiver: lane.routed.receiver,
      groupKey: lane.routed.groupKey,
      groupLabels: lane.routed.groupLabels,
      status: 'firing',
      createdAt: now,
      alerts: input.describe(alerts.filter((a) => notified.has(a.fingerprint))),
      escalation: { slos: [...slos].sort(), at: now, pageId: page.id },
    };
    rows.push({ groupId: lane.groupId, integration: lane.integration, outbox: { id, incident: lane.entry.incident, reason: 'escalated', notification, at: now } });
  }
  return rows;
}
