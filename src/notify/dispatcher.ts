import { randomUUID } from 'node:crypto';
import type { AlertStore, StoredAlert } from '../alerting/alert-store.js';
import type { Logger } from '../log.js';
import { writeAtOnce, type WriteTurn } from '../store/write-turn.js';
import { isBurnPage, type PageOf } from './inhibit-stage.js';
import type { SloSummary } from './notification.js';
import type { NotifyPlan } from './notify-plan.js';
import { notifyPipeline } from './notify-pipeline.js';
import type { NotifyStore } from './notify-store.js';
import type { PlannedNotification } from './planned-notification.js';
import type { RoutingPort } from './routing-port.js';

export interface DispatcherDeps {
  alerts: AlertStore;
  store: NotifyStore;
  routing: RoutingPort;
  slos: ReadonlyMap<string, SloSummary>;
  isSilenced: (labels: Readonly<Record<string, string>>, now: number) => boolean;
  log: Logger;
  newId?: () => string;
  /** The database's write turn, shared with the embedded store's ingest worker (default: write at once). */
  writeTurn?: WriteTurn;
}

/**
 * Alertmanager's dispatch, persisted: at each beat the dispatcher reads the alerts and its groups and log, runs
 * the pipeline's stages (notify-pipeline.ts) and applies the plan they answer in one transaction, so a restart
 * neither re-pages nor forgets a pending resolve. Reading, planning and applying are one turn of the write lock:
 * nothing changes the groups or the log between them.
 */
export class Dispatcher {
  private readonly newId: () => string;
  private readonly writeTurn: WriteTurn;

  constructor(private readonly deps: DispatcherDeps) {
    this.newId = deps.newId ?? (() => `ntf_${randomUUID()}`);
    this.writeTurn = deps.writeTurn ?? writeAtOnce;
  }

  /** Routes current alerts and flushes the groups that are due. Resolves to the number of notifications planned. */
  async planDue(now: number): Promise<number> {
    const { plan, planned } = await this.writeTurn.run(() => {
      const planned = this.plan(now);
      this.deps.store.apply(planned.plan);
      return planned;
    });
    this.logPlan(plan);
    return planned;
  }

  private plan(now: number): ReturnType<typeof notifyPipeline> {
    const { store } = this.deps;
    const alerts = this.deps.alerts.notifiable();
    return notifyPipeline(
      {
        alerts,
        pageOf: this.pageOf(alerts),
        isSilenced: (labels) => this.deps.isSilenced(labels, now),
        routing: this.deps.routing,
        groups: store.groups(),
        nflog: (groupId, integration) => store.nflog(groupId, integration),
        newId: this.newId,
        describe: (alert) => this.describe(alert),
      },
      now,
    );
  }

  private logPlan(plan: NotifyPlan): void {
    const { log } = this.deps;
    for (const flush of plan.flushes) {
      for (const { integration, reason, entry, outbox } of flush.decisions) {
        log.info({ group: flush.groupKey, integration, reason, firing: entry.firing.length, resolved: entry.resolved.length, id: outbox ? outbox.id : null }, 'notification planned');
      }
      for (const row of flush.escalations) log.info({ integration: row.integration, id: row.outbox.id, page: row.outbox.notification.escalation?.pageId }, 'ticket escalation planned');
    }
  }

  private describe(alert: StoredAlert): PlannedNotification['alerts'][number] {
    return { alert: stripFigures(alert), slo: this.summary(alert.slo), figures: alert.figures };
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
