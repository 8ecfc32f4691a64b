import { randomUUID } from 'node:crypto';
import type { AlertStore, StoredAlert } from '../alerting/alert-store.js';
import type { Logger } from '../log.js';
import { dedupDecision } from './dedup-decision.js';
import { escalationRows, type PlannedPage } from './escalation.js';
import { isBurnPage, mutedAlerts, type PageOf } from './muting.js';
import type { SloSummary } from './notification.js';
import type { NotifyStore } from './notify-store.js';
import type { PlannedNotification } from './planned-notification.js';
import type { RoutedGroup, RoutingPort } from './routing-port.js';

export interface DispatcherDeps {
  alerts: AlertStore;
  store: NotifyStore;
  routing: RoutingPort;
  slos: ReadonlyMap<string, SloSummary>;
  isSilenced: (labels: Readonly<Record<string, string>>, now: number) => boolean;
  log: Logger;
  newId?: () => string;
}

const groupIdOf = (routeId: string, groupKey: string) => `${routeId}\u001f${groupKey}`;
const firingFirst = (a: StoredAlert, b: StoredAlert) =>
  Number(b.state === 'firing') - Number(a.state === 'firing') || a.slo.localeCompare(b.slo) || a.severity.localeCompare(b.severity);

/**
 * Alertmanager's dispatch, persisted: alerts are routed into aggregation groups; a new group waits
 * `group_wait` before its first flush, then flushes every `group_interval`; at each flush the dedup
 * decision against the notification log says whether to notify, and the decision and the outbox row are
 * one transaction, so a restart neither re-pages nor forgets a pending resolve.
 */
export class Dispatcher {
  private readonly newId: () => string;

  constructor(private readonly deps: DispatcherDeps) {
    this.newId = deps.newId ?? (() => `ntf_${randomUUID()}`);
  }

  /** Routes current alerts and flushes the groups that are due. Returns the number of notifications planned. */
  tick(now: number): number {
    const { store, routing } = this.deps;
    const alerts = this.deps.alerts.notifiable();
    const muted = mutedAlerts(alerts, this.pageOf(alerts), (labels) => this.deps.isSilenced(labels, now));
    const members = new Map<string, { routed: RoutedGroup; alerts: StoredAlert[] }>();
    for (const alert of alerts) {
      for (const routed of routing.route(alert.labels)) {
        const id = groupIdOf(routed.routeId, routed.groupKey);
        const group = members.get(id) ?? { routed, alerts: [] };
        group.alerts.push(alert);
        members.set(id, group);
      }
    }
    const known = new Map(store.groups().map((group) => [group.groupId, group]));
    for (const [id, { routed, alerts: groupAlerts }] of members) {
      if (known.has(id) || !groupAlerts.some((a) => a.state === 'firing' && !muted.has(a.fingerprint))) continue;
      const group = { groupId: id, routeId: routed.routeId, groupKey: routed.groupKey, receiver: routed.receiver, labels: { ...routed.groupLabels }, createdAt: now, nextFlushAt: now + routed.settings.groupWait };
      store.addGroup(group);
      known.set(id, group);
    }
    let planned = 0;
    for (const group of known.values()) {
      const settings = routing.settings(group.routeId);
      if (!settings) {
        store.deleteGroup(group.groupId);
        continue;
      }
      if (group.nextFlushAt > now) continue;
      const groupAlerts = (members.get(group.groupId)?.alerts ?? []).sort(firingFirst);
      // A page and the notes on the tickets it supersedes are one decision.
      store.atomically(() => {
        let anyOpen = false;
        const pages: PlannedPage[] = [];
        for (const integration of routing.integrations(group.receiver)) {
          const result = this.flush(group.groupId, group.groupKey, group.receiver, group.labels, integration, groupAlerts, muted, settings, now);
          planned += result.planned ? 1 : 0;
          anyOpen ||= result.open;
          if (result.page) pages.push(result.page);
        }
        if (pages.length > 0) this.escalate(pages, alerts, now);
        if (anyOpen) store.setNextFlush(group.groupId, now + settings.groupInterval);
        else store.deleteGroup(group.groupId);
      });
    }
    return planned;
  }

  /** Plans the escalation notes of the tickets a page just planned supersedes. */
  private escalate(pages: PlannedPage[], alerts: readonly StoredAlert[], now: number): void {
    const { routing, store } = this.deps;
    const rows = escalationRows({
      pages,
      alerts,
      lanesOf: (ticket) =>
        routing.route(ticket.labels).flatMap((routed) => {
          const groupId = groupIdOf(routed.routeId, routed.groupKey);
          return routing.integrations(routed.receiver).flatMap((integration) => {
            const entry = store.nflog(groupId, integration);
            return entry ? [{ groupId, routed, integration, entry }] : [];
          });
        }),
      describe: (shown) => shown.map((alert) => this.describe(alert)),
      newId: this.newId,
      now,
    });
    store.enqueue(rows);
    for (const row of rows) this.deps.log.info({ integration: row.integration, id: row.outbox.id, page: row.outbox.notification.escalation?.pageId }, 'ticket escalation planned');
  }

  private describe(alert: StoredAlert): PlannedNotification['alerts'][number] {
    return { alert: stripFigures(alert), slo: this.summary(alert.slo), figures: alert.figures };
  }

  private flush(
    groupId: string,
    groupKey: string,
    receiver: string,
    groupLabels: Record<string, string>,
    integration: string,
    alerts: readonly StoredAlert[],
    muted: ReadonlySet<string>,
    settings: NonNullable<ReturnType<RoutingPort['settings']>>,
    now: number,
  ): { planned: boolean; open: boolean; page?: PlannedPage } {
    const { store } = this.deps;
    const entry = store.nflog(groupId, integration);
    const notified = new Set(entry?.firing ?? []);
    const firing = alerts.filter((a) => a.state === 'firing' && !muted.has(a.fingerprint));
    // A resolve is news only for alerts the receiver was told were firing.
    const resolved = alerts.filter((a) => a.state === 'resolved' && notified.has(a.fingerprint));
    const firingIds = new Set(firing.map((a) => a.fingerprint));
    const resolvedIds = new Set(resolved.map((a) => a.fingerprint));
    const open = alerts.some((a) => a.state === 'firing');
    // Everything muted: no decision at all, as if the group were empty (the log keeps what was sent).
    if (firing.length === 0 && resolved.length === 0 && open) return { planned: false, open };
    const reason = dedupDecision(entry, firingIds, resolvedIds, settings, now);
    if (reason === 'none') return { planned: false, open };
    const incident = reason === 'first' || !entry?.incident ? this.newId() : entry.incident;
    const id = reason === 'first' || !entry?.incident ? incident : this.newId();
    const send = firing.length > 0 || settings.sendResolved;
    const shown = settings.sendResolved ? [...firing, ...resolved] : firing;
    const notification: PlannedNotification = {
      id,
      receiver,
      groupKey,
      groupLabels,
      status: firing.length > 0 ? 'firing' : 'resolved',
      createdAt: now,
      alerts: shown.map((alert) => this.describe(alert)),
    };
    store.plan({
      groupId,
      integration,
      // The log keeps what the receiver now knows; once everything resolved, the next burn is a new incident.
      entry: { firing: [...firingIds], resolved: [...resolvedIds], sentAt: now, incident: firing.length > 0 ? incident : null },
      outbox: send ? { id, incident, reason, notification, at: now } : null,
    });
    this.deps.log.info({ group: groupKey, integration, reason, firing: firing.length, resolved: resolved.length, id: send ? id : null }, 'notification planned');
    // SLOs whose page the receiver learns of now: the tickets they supersede are told so.
    const paged = firing.filter((a) => isBurnPage(a) && !notified.has(a.fingerprint)).map((a) => a.slo);
    return paged.length > 0 && send ? { planned: send, open, page: { id, integration, slos: paged } } : { planned: send, open };
  }

  /**
   * Each SLO's page alert for inhibition. The notifiable list holds firing and resolved pages; a pending page is
   * read from the store, and only for an SLO whose ticket fires without a page in that list.
   */
  private pageOf(alerts: readonly StoredAlert[]): PageOf {
    const pages = new Map(alerts.filter(isBurnPage).map((a) => [a.slo, a]));
    return (slo) => pages.get(slo) ?? [...this.deps.alerts.forSlo(slo).values()].find(isBurnPage);
  }

  private summary(slo: string): SloSummary {
    return this.deps.slos.get(slo) ?? { name: slo, service: '', description: '', objective: 0, window: 0, labels: {} };
  }
}

function stripFigures(alert: StoredAlert) {
  const { figures: _figures, ...rest } = alert;
  return rest;
}
