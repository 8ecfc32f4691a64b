import type { AlertKind, AlertState } from '../../alerting/alert.js';
import type { AlertStore } from '../../alerting/alert-store.js';
import { severities } from '../../slo/model.js';
import type { Authorize } from '../auth.js';
import { defineRoute, routePlugin } from '../route.js';
import { param, querySchema } from './query-params.js';

export interface AlertRoutesOptions {
  alerts: AlertStore;
  authorize: Authorize;
}

const alertStates = ['pending', 'firing', 'resolved'] as const satisfies readonly AlertState[];
const alertKinds = ['burn', 'no_data', 'deploy_regression'] as const satisfies readonly AlertKind[];
export const maxAlertListLimit = 10_000;

const alertQuery = querySchema({
  state: param.oneOf(alertStates),
  slo: param.text(),
  severity: param.oneOf(severities),
  kind: param.oneOf(alertKinds),
  service: param.text(),
  limit: param.limit(maxAlertListLimit, maxAlertListLimit),
});

/**
 * Current alerts (read scope): `GET /api/v1/alerts[?state=&slo=&severity=&kind=&service=&limit=]`,
 * each with its labels, state times and the figures of its latest evaluation.
 */
export const alertRoutes = routePlugin(({ alerts }: AlertRoutesOptions) => [
  defineRoute({
    method: 'GET',
    url: '/api/v1/alerts',
    scope: 'read',
    query: alertQuery,
    handler: ({ query: { state, severity, kind, slo, service, limit } }) => {
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
    },
  }),
]);
