import type { FastifyInstance } from 'fastify';
import type { AlertStore } from '../src/alerting/alert-store.js';
import { decideGate } from '../src/gate/decide.js';
import type { GateLog } from '../src/gate/gate-log.js';
import type { GateConfig } from '../src/gate/gate-policy.js';
import { gateTargets } from '../src/gate/gate-service.js';
import type { OverrideStore } from '../src/gate/override-store.js';
import type { Slo } from '../src/slo/model.js';
import type { EvaluationStore } from '../src/engine/evaluation-store.js';

export interface RereadSources {
  slos: readonly Slo[];
  evaluations: EvaluationStore;
  alerts: AlertStore;
  overrides: OverrideStore;
  log: GateLog;
  config: GateConfig;
  /** Seconds of history each request reads back. */
  lookback: number;
  now: () => number;
}

/**
 * The alternative the gate avoids: each request reads its SLOs' stored history back (every evaluation of the
 * lookback) and judges from that re-read, instead of one indexed lookup of the latest evaluation.
 */
export async function rereadGateRoute(app: FastifyInstance, sources: RereadSources): Promise<void> {
  app.get('/bench/gate-reread', async (request, reply) => {
    const service = (request.query as { service?: string }).service ?? '';
    const now = sources.now();
    let targets: Slo[];
    try {
      targets = gateTargets(sources.slos, { service });
    } catch {
      return reply.status(404).send({ error: { code: 'unknown_service', message: service } });
    }
    const slos = targets.map((slo) => {
      const history = sources.evaluations.history(slo.name, now - sources.lookback, now);
      // History rows keep no window detail: the newest one's comes from the latest evaluation.
      return { slo, latest: history.length > 0 ? sources.evaluations.latest(slo.name) : undefined, alerts: [...sources.alerts.forSlo(slo.name).values()] };
    });
    const answer = decideGate({ request: { service }, slos, overrides: sources.overrides.active(now) }, sources.config, now);
    sources.log.record(answer, 'bench', now);
    return answer;
  });
}
