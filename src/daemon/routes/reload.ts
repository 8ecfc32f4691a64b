import type { Authorize } from '../auth.js';
import { errorBody, HttpError } from '../http-errors.js';
import type { ReloadOutcome } from '../reload.js';
import { defineRoute, routePlugin } from '../route.js';

export interface ReloadRoutesOptions {
  /** Absent on a server without a daemon behind it: the route answers 501. */
  reload?: () => Promise<ReloadOutcome>;
  authorize: Authorize;
}

/**
 * `POST /-/reload` (write scope, as Prometheus's): reads the SLO files, runbooks and routing again. 200 with
 * what changed; 422 `invalid_config` with every problem (`errors`, one formatted diagnostic each) when any
 * file fails validation, the running set kept.
 */
export const reloadRoutes = routePlugin((options: ReloadRoutesOptions) => [
  defineRoute({
    method: 'POST',
    url: '/-/reload',
    scope: 'write',
    handler: async ({ reply }) => {
      if (!options.reload) throw new HttpError(501, 'not_implemented', 'this server cannot reload its configuration');
      const outcome = await options.reload();
      if (outcome.ok) {
        const { ok: _ok, ...summary } = outcome;
        return { status: 'reloaded', ...summary };
      }
      const count = outcome.errors.length;
      const body = errorBody('invalid_config', `not reloaded: ${count} problem${count === 1 ? '' : 's'}; the running SLOs, runbooks and routing are kept`);
      return reply.status(422).send({ ...body, errors: outcome.errors, at: outcome.at });
    },
  }),
]);
