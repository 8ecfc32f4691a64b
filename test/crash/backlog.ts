import { alertLabels, stepAlert } from '../../src/alerting/alert-lifecycle.js';
import type { Alert } from '../../src/alerting/alert.js';
import { AlertStore } from '../../src/alerting/alert-store.js';
import { fingerprint } from '../../src/alerting/fingerprint.js';
import type { Config } from '../../src/config/config.js';
import { silentLogger } from '../../src/log.js';
import { Dispatcher } from '../../src/notify/dispatcher.js';
import type { EvaluationFigures } from '../../src/alerting/evaluation-figures.js';
import type { NotifyStore } from '../../src/notify/notify-store.js';
import { routingPort } from '../../src/notify/routing-adapter.js';
import type { Slo } from '../../src/slo/model.js';
import { testSlo } from '../support/slo-fixture.js';

/**
 * Plans incidents the way the daemon does: alerts written with AlertStore as the evaluator writes them,
 * then the Dispatcher (the configured routing, group_wait, group_interval, dedup) turns them into notification
 * log entries and outbox rows. Each incident group gets its page and, one group_interval later, its resolve;
 * every planned time lies in the past of `now`, so the whole backlog is due.
 */
export interface Backlog {
  /** Plans `groups` new incident groups, each burning then resolving, ending at `now`. Returns their SLO names. */
  plan(groups: number, now: number): Promise<string[]>;
}

export function backlog(config: Config, alerts: AlertStore, store: NotifyStore): Backlog {
  if (!config.routing) throw new Error('the crash test config needs a route and a receiver');
  const { groupWait, groupInterval } = config.routing.route;
  let wave = 0;
  return {
    async plan(groups, now) {
      wave += 1;
      const slos = Array.from({ length: groups }, (_, i) => incidentSlo(wave, i));
      const dispatcher = new Dispatcher({
        alerts,
        store,
        routing: routingPort(config.routing!),
        slos: new Map(slos.map((slo) => [slo.name, { name: slo.name, service: slo.service, description: slo.description, objective: slo.objective, window: slo.window, labels: slo.labels }])),
        isSilenced: () => false,
        log: silentLogger,
      });
      const pagedAt = now - groupWait - groupInterval - 10;
      const resolvedAt = pagedAt + groupWait + 30;
      const firing = new Map<string, Alert>();
      for (const slo of slos) {
        const alert = burn(slo, undefined, 'firing', pagedAt);
        firing.set(slo.name, alert);
        alerts.replaceForSlo(slo.name, new Map([[alert.fingerprint, alert]]), figures(pagedAt, 0.62, 16.2));
      }
      await dispatcher.planDue(pagedAt); // opens the groups
      await dispatcher.planDue(pagedAt + groupWait); // the pages
      for (const slo of slos) {
        const alert = burn(slo, firing.get(slo.name), 'ok', resolvedAt);
        alerts.replaceForSlo(slo.name, new Map([[alert.fingerprint, alert]]), figures(resolvedAt, 0.597, 0.2));
      }
      await dispatcher.planDue(pagedAt + groupWait + groupInterval); // the resolves, one group_interval after the pages
      return slos.map((slo) => slo.name);
    },
  };
}

function incidentSlo(wave: number, index: number): Slo {
  const name = `w${String(wave).padStart(2, '0')}-svc-${String(index).padStart(2, '0')}-availability`;
  return { ...testSlo({ name, service: name.replace(/-availability$/, ''), labels: { team: 'payments' } }), description: `${name} requests succeed.` };
}

function burn(slo: Slo, previous: Alert | undefined, condition: 'firing' | 'ok', at: number): Alert {
  const labels = alertLabels(slo, 'burn', 'page');
  const next = stepAlert(previous, condition, 0, at, () => ({ fingerprint: fingerprint(labels), labels, kind: 'burn', slo: slo.name, severity: 'page' }));
  if (!next) throw new Error(`no ${condition} alert for ${slo.name}`);
  return next;
}

function figures(at: number, budgetRemaining: number, burnRate: number): EvaluationFigures {
  const pair = (severity: 'page' | 'ticket', long: number, factor: number, rate: number) => ({
    severity,
    long,
    short: long / 12,
    factor,
    longBurnRate: rate,
    shortBurnRate: rate * 1.5,
    firing: severity === 'page' && long === 3600 && rate >= factor,
  });
  return {
    at,
    status: 'ok',
    budgetRemaining,
    timeToExhaustion: burnRate > 1 ? Math.round((budgetRemaining * 30 * 86_400) / burnRate) : null,
    errorRatio: burnRate * 0.001,
    pairs: [pair('page', 3600, 14.4, burnRate), pair('page', 6 * 3600, 6, burnRate * 0.4), pair('ticket', 86_400, 3, burnRate * 0.1), pair('ticket', 3 * 86_400, 1, burnRate * 0.05)],
  };
}
