import type { FastifyInstance } from 'fastify';
import type { AlertKind, AlertState } from '../../alerting/alert.js';
import type { AlertStore } from '../../alerting/alert-store.js';
import { severities, type Severity } from '../../slo/model.js';
import type { Authorize } from '../auth.js';
import { requireScope } from '../http-errors.js';
import { QueryReader } from './query-params.js';

export interface AlertRoutesOptions {
  alerts: AlertStore;
  authorize: Authorize;
}

const alertStates = ['pending', 'firing', 'resolved'] as const satisfies readonly AlertState[];
const alertKinds = ['burn', 'no_data'] as const satisfies readonly AlertKind[];
export const maxAlertListLimit = 10_000;

/**
 * Current alerts (read scope): `GET /api/v1/alerts[?state=&slo=&severity=&kind=&service=&limit=]`,
 * each with its labels, state times and the figures of its latest evaluation.
 */
export async function alertRoutes(app: FastifyInstance, options: AlertRoutesOptions): Promise<void> {
  const { alerts, authorize } = options;

  app.get('/api/v1/alerts', { onRequest: requireScope(authorize, 'read') }, async (request) => {
    const query = new QueryReader(request.query, ['state', 'slo', 'severity', 'kind', 'service', 'limit']);
    const state = query.oneOf<AlertState>('state', alertStates);
    const severity = query.oneOf<Severity>('severity', severities);
    const kind = query.oneOf<AlertKind>('kind', alertKinds);
    const slo = query.text('slo');
    const service = query.text('service');
    const limit = query.limit(maxAlertListLimit, maxAlertListLimit);
    query.done();

    const selected = alerts
      .all()
      .filter(
        (a) =>
          (state === undefined || a.state === state) &&
          (severity === undefined || a.severity === severity) &&
          (kind === undefined || a.kind === kind) &&
          (slo === undefined || a.slo === slo) &&
          (service === undefined || a.labels['service'] === service),
      );
    return { alerts: selected.slice(0, limit) };
  });
}
