import type { AlertStore, StoredAlert } from '../../alerting/alert-store.js';
import type { Clock } from '../../core/clock.js';
import type { DeployStore } from '../../deploys/deploy-store.js';
import { costedDeploys, deployCosts, type DeployCost } from '../../engine/deploy-costs.js';
import type { BucketLedger } from '../../ledger/bucket-ledger.js';
import type { Slo } from '../../slo/model.js';
import type { EvaluationStore } from '../../engine/evaluation-store.js';
import type { Authorize } from '../auth.js';
import { defineRoute, notFound, routePlugin, type ParseResult } from '../route.js';
import { param, querySchema, readQuery } from './query-params.js';
import { downsampleHistory, recentTransitions, sloDefinitionView, sloStatusValues, sloStatusView } from './slo-view.js';

export interface SloRoutesOptions {
  slos: readonly Slo[];
  store: Pick<EvaluationStore, 'latest' | 'history'>;
  /** The alert lifecycle's state and history: the one source of page/ticket state. */
  alerts: Pick<AlertStore, 'all' | 'forSlo' | 'history'>;
  clock: Clock;
  authorize: Authorize;
  /** Where the budget each recent deploy has cost the SLO is read from; without it `recentDeploys` is empty. */
  deployCosts?: { deploys: Pick<DeployStore, 'list'>; ledger: Pick<BucketLedger, 'windowCounts' | 'sumsAt'>; bucket: number };
}

/** One recent deploy of the SLO's service and the budget it has cost the SLO so far (times unix seconds). */
function deployCostView(cost: DeployCost) {
  const { deploy } = cost;
  return {
    id: deploy.id,
    version: deploy.version,
    commit: deploy.commit,
    author: deploy.author,
    url: deploy.url,
    finishedAt: deploy.finishedAt,
    live: cost.live,
    from: cost.from,
    to: cost.to,
    errors: cost.errors,
    total: cost.total,
    budgetSpentPercent: cost.budgetSpentPercent,
    exact: cost.exact,
  };
}

export const maxSloListLimit = 10_000;
/** Points one history answer may hold: a 30-day window at one point per minute fits. */
export const maxHistoryPoints = 50_000;
export const defaultHistoryStep = 3600;
const transitionsShown = 50;

function recentDeploys(sources: NonNullable<SloRoutesOptions['deployCosts']>, slo: Slo, now: number) {
  const latest = sources.deploys.list({ service: slo.service, to: now, limit: costedDeploys });
  return deployCosts(slo, latest, sources.ledger, now, sources.bucket).map(deployCostView);
}

/**
 * SLO status over HTTP (read scope): `GET /api/v1/slos[?service=&team=&status=&limit=]` lists every SLO
 * with its latest evaluation; `GET /api/v1/slos/:name[?from=&to=&step=]` adds the definition, the budget
 * history downsampled to one point per `step`, the alerts' recent state changes, and the budget each recent deploy of
 * the service has cost the SLO. Page and ticket state are the alert lifecycle's (with `for`), beside the latest
 * evaluation's condition.
 */
export const sloRoutes = routePlugin(({ slos, store, alerts, clock, deployCosts: costSources }: SloRoutesOptions) => {
  const listQuery = querySchema({
    service: param.text(),
    team: param.text(),
    status: param.oneOf(sloStatusValues),
    limit: param.limit(maxSloListLimit, maxSloListLimit),
  });

  /** The SLO named in the path (404 before any problem of the query), and the history range asked for. */
  const historyQuery = (raw: unknown, name: string): ParseResult<{ slo: Slo; from: number; to: number; step: number }> => {
    // The list is the daemon's live set (a reload replaces its contents): look up at request time.
    const slo = slos.find((candidate) => candidate.name === name) ?? notFound(`no SLO named "${name}"`);
    const now = clock.now();
    const read = readQuery(querySchema({ from: param.time(now), to: param.time(), step: param.duration() }), raw);
    if (!read.ok) return read;
    const to = read.value.to ?? now;
    const step = read.value.step ?? defaultHistoryStep;
    const from = read.value.from ?? to - slo.window;
    if (from >= to) return { ok: false, issues: [{ path: 'from', message: 'must be before to' }] };
    if ((to - from) / step > maxHistoryPoints) {
      return { ok: false, issues: [{ path: 'step', message: `too small for the range: at most ${maxHistoryPoints} points, use a step of at least ${Math.ceil((to - from) / maxHistoryPoints)}s` }] };
    }
    return { ok: true, value: { slo, from, to, step } };
  };

  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/slos',
      scope: 'read',
      query: listQuery,
      handler: ({ query: { service, team, status, limit } }) => {
        const alertsBySlo = new Map<string, StoredAlert[]>();
        for (const alert of alerts.all()) alertsBySlo.set(alert.slo, [...(alertsBySlo.get(alert.slo) ?? []), alert]);
        const views = [];
        for (const slo of slos) {
          if (service !== undefined && slo.service !== service) continue;
          if (team !== undefined && slo.labels['team'] !== team) continue;
          const view = sloStatusView(slo, store.latest(slo.name), alertsBySlo.get(slo.name) ?? []);
          if (status !== undefined && view.status !== status) continue;
          views.push(view);
          if (views.length === limit) break;
        }
        return { slos: views };
      },
    }),

    defineRoute({
      method: 'GET',
      url: '/api/v1/slos/:name',
      scope: 'read',
      query: (raw, request) => historyQuery(raw, (request.params as { name: string }).name),
      handler: ({ query: { slo, from, to, step } }) => {
        const points = downsampleHistory(store.history(slo.name, from, to), step);
        return {
          ...sloStatusView(slo, store.latest(slo.name), alerts.forSlo(slo.name).values()),
          definition: sloDefinitionView(slo),
          history: { from, to, step, points },
          transitions: recentTransitions(alerts.history(from, to, slo.name), transitionsShown),
          recentDeploys: costSources ? recentDeploys(costSources, slo, clock.now()) : [],
        };
      },
    }),
  ];
});
