import type { FastifyInstance } from 'fastify';
import type { AlertStore, StoredAlert } from '../../alerting/alert-store.js';
import type { Clock } from '../../core/clock.js';
import type { Slo } from '../../slo/model.js';
import type { EvaluationStore } from '../../engine/evaluation-store.js';
import type { Authorize } from '../auth.js';
import { HttpError, requireScope } from '../http-errors.js';
import { QueryReader } from './query-params.js';
import { downsampleHistory, recentTransitions, sloDefinitionView, sloStatusValues, sloStatusView, type SloStatusValue } from './slo-view.js';

export interface SloRoutesOptions {
  slos: readonly Slo[];
  store: Pick<EvaluationStore, 'latest' | 'history'>;
  /** The alert lifecycle's state and history: the one source of page/ticket state. */
  alerts: Pick<AlertStore, 'all' | 'forSlo' | 'history'>;
  clock: Clock;
  authorize: Authorize;
}

export const maxSloListLimit = 10_000;
/** Points one history answer may hold: a 30-day window at one point per minute fits. */
export const maxHistoryPoints = 50_000;
export const defaultHistoryStep = 3600;
const transitionsShown = 50;

/**
 * SLO status over HTTP (read scope): `GET /api/v1/slos[?service=&team=&status=&limit=]` lists every SLO
 * with its latest evaluation; `GET /api/v1/slos/:name[?from=&to=&step=]` adds the definition, the budget
 * history downsampled to one point per `step`, and the alerts' recent state changes. Page and ticket state
 * are the alert lifecycle's (with `for`), beside the latest evaluation's condition. Errors go to the server's
 * JSON error handler.
 */
export async function sloRoutes(app: FastifyInstance, options: SloRoutesOptions): Promise<void> {
  const { slos, store, alerts, clock, authorize } = options;
  const read = requireScope(authorize, 'read');

  app.get('/api/v1/slos', { onRequest: read }, async (request) => {
    const query = new QueryReader(request.query, ['service', 'team', 'status', 'limit']);
    const service = query.text('service');
    const team = query.text('team');
    const status = query.oneOf<SloStatusValue>('status', sloStatusValues);
    const limit = query.limit(maxSloListLimit, maxSloListLimit);
    query.done();

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
  });

  app.get<{ Params: { name: string } }>('/api/v1/slos/:name', { onRequest: read }, async (request) => {
    // The list is the daemon's live set (a reload replaces its contents): look up at request time.
    const slo = slos.find((candidate) => candidate.name === request.params.name);
    const query = new QueryReader(request.query, ['from', 'to', 'step']);
    const now = clock.now();
    const to = query.time('to') ?? now;
    const step = query.duration('step') ?? defaultHistoryStep;
    const from = query.time('from', now) ?? to - (slo?.window ?? 0);
    if (from >= to) query.problem('from', 'must be before to');
    else if ((to - from) / step > maxHistoryPoints) query.problem('step', `too small for the range: at most ${maxHistoryPoints} points, use a step of at least ${Math.ceil((to - from) / maxHistoryPoints)}s`);
    if (!slo) throw new HttpError(404, 'not_found', `no SLO named "${request.params.name}"`);
    query.done();

    const points = downsampleHistory(store.history(slo.name, from, to), step);
    return {
      ...sloStatusView(slo, store.latest(slo.name), alerts.forSlo(slo.name).values()),
      definition: sloDefinitionView(slo),
      history: { from, to, step, points },
      transitions: recentTransitions(alerts.history(from, to, slo.name), transitionsShown),
    };
  });
}
