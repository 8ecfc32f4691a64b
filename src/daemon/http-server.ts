import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { EmbeddedBackend } from '../backends/embedded/embedded-backend.js';
import type { Logger } from '../log.js';
import type { EvaluationStore } from '../store/evaluation-store.js';
import type { Slo } from '../slo/model.js';
import type { Clock } from '../core/clock.js';
import type { DeployStore } from '../deploys/deploy-store.js';
import type { SilenceStore } from '../silences/silence-store.js';
import type { AlertStore } from '../alerting/alert-store.js';
import type { Authorize } from './auth.js';
import type { DaemonMetrics } from './metrics.js';
import { deployRoutes } from './routes/deploys.js';
import { silenceRoutes } from './routes/silences.js';

export interface HttpDependencies {
  slos: readonly Slo[];
  store: EvaluationStore;
  embedded: EmbeddedBackend | undefined;
  /** True once the first evaluation cycle has completed. */
  ready: () => boolean;
  log: Logger;
  clock: Clock;
  authorize: Authorize;
  metrics: DaemonMetrics;
  deploys: DeployStore;
  silences: SilenceStore;
  alerts: AlertStore;
}

const ingestLimitBytes = 32 * 1024 * 1024;

/** The daemon's HTTP API (fastify): health, sample push into the embedded store, SLO status. */
export function buildHttpServer(deps: HttpDependencies): FastifyInstance {
  const app = Fastify({ loggerInstance: deps.log.child({ component: 'http' }) as FastifyBaseLogger, bodyLimit: ingestLimitBytes, disableRequestLogging: true });
  app.addContentTypeParser(['text/plain', 'application/openmetrics-text'], { parseAs: 'string' }, (_request, body, done) => done(null, body));
  app.setErrorHandler((error: { statusCode?: number; code?: string; message: string }, _request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    void reply.status(status).send({ error: { code: error.code ?? 'internal', message: error.message } });
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/metrics', async (_request, reply) => {
    void reply.header('content-type', deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });
  app.get('/readyz', async (_request, reply) =>
    deps.ready() ? { status: 'ready' } : reply.status(503).send({ status: 'starting', message: 'first evaluation not finished' }),
  );

  app.post('/api/v1/ingest', async (request, reply) => {
    if (!deps.embedded) {
      return reply.status(409).send({ error: { code: 'not_embedded', message: 'this daemon reads Prometheus; push samples to Prometheus instead' } });
    }
    if (typeof request.body !== 'string') {
      return reply.status(415).send({ error: { code: 'unsupported_media_type', message: 'send text/plain (Prometheus text format) or application/openmetrics-text' } });
    }
    const format = String(request.headers['content-type'] ?? '').startsWith('application/openmetrics-text') ? 'openmetrics' : 'prometheus';
    try {
      return deps.embedded.ingest(request.body, { format, defaultTimestamp: Date.now() / 1000 });
    } catch (error) {
      return reply.status(400).send({ error: { code: 'bad_samples', message: error instanceof Error ? error.message : String(error) } });
    }
  });

  app.get('/api/v1/slos', async () => ({
    slos: deps.slos.map((slo) => {
      const latest = deps.store.latest(slo.name);
      return {
        name: slo.name,
        service: slo.service,
        objective: slo.objective,
        window: slo.window,
        labels: slo.labels,
        status: latest?.status ?? 'pending',
        evaluatedAt: latest?.t ?? null,
        budgetRemaining: latest?.budgetRemaining ?? null,
        timeToExhaustion: latest?.timeToExhaustion ?? null,
        page: latest?.page ?? null,
        ticket: latest?.ticket ?? null,
      };
    }),
  }));

  app.get('/api/v1/alerts', async (request, reply) => {
    if ((await deps.authorize(request, 'read')) === false) return reply.status(403).send({ error: { code: 'forbidden', message: 'read scope required' } });
    return { alerts: deps.alerts.all() };
  });

  // Encapsulated plugins: each keeps its own error handler and body limit.
  void app.register(deployRoutes, { store: deps.deploys, clock: deps.clock, authorize: deps.authorize });
  void app.register(silenceRoutes, { store: deps.silences, clock: deps.clock, authorize: deps.authorize });
  return app;
}
