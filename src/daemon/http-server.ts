import { misdirectedRequests, shardRoutes, type ShardRouter } from './shard-routing.js';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { EmbeddedBackend } from '../backends/embedded/embedded-backend.js';
import type { Logger } from '../log.js';
import type { EvaluationStore } from '../engine/evaluation-store.js';
import type { Slo } from '../slo/model.js';
import type { Clock } from '../core/clock.js';
import type { DeployStore } from '../deploys/deploy-store.js';
import type { BucketLedger } from '../ledger/bucket-ledger.js';
import type { SilenceStore } from '../silences/silence-store.js';
import type { AlertStore } from '../alerting/alert-store.js';
import { defaultHttpLimits, type HttpLimits } from '../config/server-limits.js';
import { HttpError, jsonClientErrorHandler, jsonErrorHandler, jsonNotFoundHandler, trackRoutes } from './http-errors.js';
import { defineRoute, routePlugin } from './route.js';
import type { DaemonMetrics } from './metrics.js';
import { alertRoutes } from './routes/alerts.js';
import { deployRoutes } from './routes/deploys.js';
import { gateRoutes, type GateRoutesOptions } from './routes/gate.js';
import { silenceRoutes } from './routes/silences.js';
import { sloRoutes } from './routes/slos.js';
import { verifyRoutes, type VerifyRoutesOptions } from './routes/verify.js';
import { pushSamples } from './routes/ingest-push.js';
import { IngestLimitError } from '../backends/embedded/ingest-limits.js';
import { ExpositionError } from '../backends/embedded/exposition-error.js';
import { IngestWorkerFailure } from '../backends/embedded/ingest-worker-client.js';
import type { ReloadOutcome, ReloadStatus } from './reload.js';
import { reloadRoutes } from './routes/reload.js';

export interface HttpDependencies {
  slos: readonly Slo[];
  store: EvaluationStore;
  embedded: EmbeddedBackend | undefined;
  /** True once the first evaluation cycle has completed. */
  ready: () => boolean;
  /** Why the daemon cannot do its work (e.g. its database file was deleted), making /readyz answer 503. */
  unhealthy?: () => string | undefined;
  log: Logger;
  clock: Clock;
  /** Pushing samples needs a write token (true once API tokens are configured). */
  ingestNeedsToken?: boolean;
  /** `createAuthorizer`'s `tokenName` tells the gate log which token asked. */
  authorize: GateRoutesOptions['authorize'];
  metrics: DaemonMetrics;
  deploys: DeployStore;
  /** The bucket ledger, for the budget each recent deploy has cost an SLO (`GET /api/v1/slos/:name`). */
  ledger?: { ledger: Pick<BucketLedger, 'windowCounts' | 'sumsAt'>; bucket: number };
  silences: SilenceStore;
  alerts: AlertStore;
  /** On a shard: which shard answers for a service (misdirected requests answer 421, `GET /api/v1/shards`). */
  shards?: { router: ShardRouter; peers: readonly string[] };
  /** The deployment gate's routes, when the daemon serves them. */
  gate?: Omit<GateRoutesOptions, 'clock' | 'authorize'>;
  /** Deploy verification (`GET /api/v1/verify`), when the daemon serves it. */
  verify?: VerifyRoutesOptions['verify'];
  /** Reloads SLOs, runbooks and routing (`POST /-/reload`, write scope); without it the route answers 501. */
  reload?: () => Promise<ReloadOutcome>;
  /** The last reload's outcome, shown by /readyz; undefined before the first. */
  reloadStatus?: () => ReloadStatus | undefined;
  /** Timeouts and the connection limit (`server:` in burnrate.yaml); {@link defaultHttpLimits} when unset. */
  limits?: HttpLimits;
}

/** JSON bodies (deploys, silences); the sample push has its own, larger limit. */
export const jsonBodyLimitBytes = 64 * 1024;
export const ingestLimitBytes = 32 * 1024 * 1024;

/** Liveness, readiness and the metrics scrape: open, like a scrape target's. */
const probeRoutes = routePlugin((deps: Pick<HttpDependencies, 'metrics' | 'ready' | 'unhealthy' | 'reloadStatus' | 'authorize'>) => [
  defineRoute({ method: 'GET', url: '/healthz', scope: 'open', handler: () => ({ status: 'ok' }) }),

  defineRoute({
    method: 'GET',
    url: '/metrics',
    scope: 'open',
    handler: ({ reply }) => {
      void reply.header('content-type', deps.metrics.registry.contentType);
      return deps.metrics.registry.metrics();
    },
  }),

  // Readiness, apart from /healthz's liveness: a daemon that cannot work is alive but not ready.
  // A failed reload leaves the daemon working on the running set: still ready, with the reload's errors beside.
  defineRoute({
    method: 'GET',
    url: '/readyz',
    scope: 'open',
    handler: ({ reply }) => {
      const reload = deps.reloadStatus?.();
      const detail = reload === undefined ? {} : { config: { lastReloadSuccessful: reload.successful, lastReloadAt: reload.at, errors: reload.errors } };
      const problem = deps.unhealthy?.();
      if (problem !== undefined) return reply.status(503).send({ status: 'unhealthy', message: problem, ...detail });
      return deps.ready() ? { status: 'ready', ...detail } : reply.status(503).send({ status: 'starting', message: 'first evaluation not finished', ...detail });
    },
  }),
]);

/**
 * `POST /api/v1/ingest`: samples in the Prometheus text format or OpenMetrics into the embedded store. Text bodies
 * are accepted by this plugin only: the JSON routes answer 415 to them.
 */
const ingestRoutes = routePlugin(
  (deps: Pick<HttpDependencies, 'embedded' | 'ingestNeedsToken' | 'clock' | 'authorize'>) => [
    defineRoute({
      method: 'POST',
      url: '/api/v1/ingest',
      // Open on a daemon without API tokens (it listens on loopback by default, like a scrape target); once
      // tokens are configured, pushing samples needs the write scope like every other write.
      scope: deps.ingestNeedsToken ? 'write' : 'open',
      bodyLimit: ingestLimitBytes,
      errors: (error) => {
        if (error instanceof IngestLimitError) return new HttpError(413, 'over_limit', error.message);
        if (error instanceof ExpositionError) return new HttpError(400, 'bad_samples', error.message);
        // Nothing else is the samples' fault: a pusher drops a push answered 4xx, so it must hear 5xx and resend.
        if (error instanceof IngestWorkerFailure) return new HttpError(503, 'ingest_unavailable', error.message, undefined, { 'retry-after': '1' });
        // A full, busy or read-only database answers 503 with Retry-After, anything else 500 (the shared handler).
        return undefined;
      },
      handler: async ({ request }) => {
        if (!deps.embedded) throw new HttpError(409, 'not_embedded', 'this daemon reads Prometheus; push samples to Prometheus instead');
        if (typeof request.body !== 'string') throw new HttpError(415, 'unsupported_media_type', 'send text/plain (Prometheus text format) or application/openmetrics-text');
        const format = String(request.headers['content-type'] ?? '').startsWith('application/openmetrics-text') ? 'openmetrics' : 'prometheus';
        return pushSamples(deps.embedded, request.body, format, deps.clock.now(), request.log);
      },
    }),
  ],
  (scope) => scope.addContentTypeParser(['text/plain', 'application/openmetrics-text'], { parseAs: 'string' }, (_request, body, done) => done(null, body)),
);

/**
 * The daemon's HTTP API (fastify): health, metrics, sample push into the embedded store, and the JSON API.
 * Every error, from any route, from fastify itself (bad JSON, size, content type, unknown route, a bad URL) or
 * from Node's HTTP parser (oversized headers, a request that is not HTTP, a timeout), is
 * `{ "error": { "code", "message", "fields"? } }`.
 */
export function buildHttpServer(deps: HttpDependencies): FastifyInstance {
  const limits = deps.limits ?? defaultHttpLimits;
  const httpLog = deps.log.child({ component: 'http' }) as FastifyBaseLogger;
  const app = Fastify({
    loggerInstance: httpLog,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: jsonBodyLimitBytes,
    // A client trickling its headers or body is cut off; Node checks these timers every connectionsCheckingInterval.
    requestTimeout: limits.requestTimeoutMs,
    connectionTimeout: limits.idleTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    maxRequestsPerSocket: limits.maxRequestsPerSocket,
    http: {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: Math.max(100, Math.min(1000, limits.headersTimeoutMs / 2)),
    },
    frameworkErrors: jsonErrorHandler(httpLog),
    clientErrorHandler: jsonClientErrorHandler(httpLog),
  });
  app.server.maxConnections = limits.maxConnections;
  trackRoutes(app);
  // Fastify reads text/plain by default; only the sample push takes text, the other routes answer 415.
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler(jsonErrorHandler(app.log));
  app.setNotFoundHandler(jsonNotFoundHandler(app));

  const { metrics, ready, unhealthy, reloadStatus, embedded, ingestNeedsToken, clock, authorize } = deps;
  if (deps.shards) {
    misdirectedRequests(app, deps.shards.router);
    void app.register(shardRoutes, { ...deps.shards, authorize });
  }
  void app.register(probeRoutes, { metrics, ready, ...(unhealthy && { unhealthy }), ...(reloadStatus && { reloadStatus }), authorize });
  void app.register(ingestRoutes, { embedded, ...(ingestNeedsToken !== undefined && { ingestNeedsToken }), clock, authorize });
  void app.register(sloRoutes, { slos: deps.slos, store: deps.store, alerts: deps.alerts, clock: deps.clock, authorize: deps.authorize, ...(deps.ledger && { deployCosts: { deploys: deps.deploys, ...deps.ledger } }) });
  void app.register(alertRoutes, { alerts: deps.alerts, authorize: deps.authorize });
  void app.register(deployRoutes, { store: deps.deploys, clock: deps.clock, authorize: deps.authorize });
  void app.register(silenceRoutes, { store: deps.silences, clock: deps.clock, authorize: deps.authorize });
  void app.register(reloadRoutes, { ...(deps.reload && { reload: deps.reload }), authorize: deps.authorize });
  if (deps.gate) void app.register(gateRoutes, { ...deps.gate, clock: deps.clock, authorize: deps.authorize });
  if (deps.verify) void app.register(verifyRoutes, { verify: deps.verify, now: () => deps.clock.now(), authorize: deps.authorize });
  return app;
}
