import type { FastifyInstance } from 'fastify';
import { AlertStore } from '../alerting/alert-store.js';
import { AlertTracker } from '../alerting/alert-tracker.js';
import { bucketSettings } from '../app/bucket-settings.js';
import { buildChannels } from '../app/channels.js';
import { notificationEnricher } from '../app/enrich-notification.js';
import { openBackend } from '../app/open-backend.js';
import type { MetricBackend } from '../backends/backend.js';
import type { Config } from '../config/config.js';
import type { Clock } from '../core/clock.js';
import { BuildInfoWatcher } from '../deploys/build-info-watcher.js';
import { DeployStore } from '../deploys/deploy-store.js';
import { SqliteLedger } from '../ledger/sqlite-ledger.js';
import type { Logger } from '../log.js';
import { defaultBackoff } from '../notify/backoff.js';
import type { Channel } from '../notify/channel.js';
import { DeliveryWorker } from '../notify/delivery-worker.js';
import { Dispatcher } from '../notify/dispatcher.js';
import { Notifier } from '../notify/notifier.js';
import { NotifyStore } from '../notify/notify-store.js';
import { routingPort } from '../notify/routing-adapter.js';
import type { RoutingPort } from '../notify/routing-port.js';
import { createRenderer } from '../render/create-renderer.js';
import { SilenceStore } from '../silences/silence-store.js';
import type { Slo } from '../slo/model.js';
import type { Db } from '../store/database.js';
import { openDaemonDatabase } from './open-daemon-database.js';
import { EvaluationStore } from '../store/evaluation-store.js';
import { createAuthorizer } from './auth.js';
import { Evaluator, type TickResult } from './evaluator.js';
import { buildHttpServer } from './http-server.js';
import { IntervalLoop } from './interval-loop.js';
import { DaemonMetrics } from './metrics.js';
import { Scheduler } from './scheduler.js';
import { registerSloGauges } from './slo-gauges.js';
import { createReportScheduler } from '../report/report-job.js';
import { GateLog } from '../gate/gate-log.js';
import { OverrideStore } from '../gate/override-store.js';
import { pruneGrowingTables, sampleRetention } from './retention.js';

export interface App {
  /** Opens the HTTP port, runs a first cycle at once, then follows the schedule. Idempotent. */
  start(): Promise<void>;
  /** Finishes a running cycle and delivery, closes the port, the channels and the database. Idempotent. */
  stop(): Promise<void>;
  /** One evaluation now (tests drive it with a fake clock). */
  tick(): Promise<TickResult | undefined>;
  /** One beat of alert delivery now: group, plan, deliver what is due. */
  notifyTick(): Promise<void>;
  /** The bound HTTP address once started. */
  address(): string | undefined;
  readonly db: Db;
  readonly store: EvaluationStore;
  readonly alerts: AlertStore;
  readonly notifications: NotifyStore;
  readonly deploys: DeployStore;
  readonly silences: SilenceStore;
  readonly metrics: DaemonMetrics;
}

export interface AppOptions {
  clock: Clock;
  log: Logger;
  /** Listen here instead of the configured address (tests pass port 0). */
  listen?: { host: string; port: number };
  /** Run without the HTTP server. */
  http?: boolean;
  /** Adapters in place of the configured ones (tests, demos). */
  backend?: MetricBackend;
  channels?: ReadonlyMap<string, Channel>;
  /** Randomness for retry jitter. */
  random?: () => number;
  /** Milliseconds between delivery beats (default 1000). */
  notifyIntervalMs?: number;
}

const noRouting: RoutingPort = { route: () => [], settings: () => undefined, integrations: () => [] };
const housekeepingEvery = 3600;

/** The composition root: every adapter is built here and nowhere else. */
export function createApp(config: Config, slos: readonly Slo[], options: AppOptions): App {
  const { clock, log } = options;
  const { db, lock, identity } = openDaemonDatabase(config.database, () => clock.now());
  const opened = options.backend ? { backend: options.backend, embedded: undefined } : openBackend(config.backend, db);
  const { backend, embedded } = opened;
  const metrics = new DaemonMetrics();
  const store = new EvaluationStore(db);
  const alerts = new AlertStore(db);
  const notifications = new NotifyStore(db);
  const deploys = new DeployStore(db, { dedupWindow: config.deploys.dedupWindow });
  const silences = new SilenceStore(db);
  const evaluator = new Evaluator(
    { slos, backend, ledger: new SqliteLedger(db), settings: bucketSettings(config.evaluation), concurrency: config.evaluation.concurrency },
    store,
    { queryDelay: config.evaluation.queryDelay, maxCatchUpSteps: config.evaluation.maxCatchUpSteps, history: config.history },
    log.child({ component: 'evaluator' }),
    new AlertTracker(slos, alerts, { noDataAfter: config.alerting.noDataAfter, noDataSeverity: config.alerting.noDataSeverity }),
  );
  const channels = options.channels ?? buildChannels(config.routing, createRenderer(config.alerting.templates ? { templateDir: config.alerting.templates } : {}), config.alerting.deliveryTimeout);
  const summaries = new Map(slos.map((slo) => [slo.name, { name: slo.name, service: slo.service, description: slo.description, objective: slo.objective, window: slo.window, labels: slo.labels }]));
  const notifyLog = log.child({ component: 'notify' });
  const notifier = new Notifier(
    new Dispatcher({
      alerts,
      store: notifications,
      routing: config.routing ? routingPort(config.routing) : noRouting,
      slos: summaries,
      isSilenced: (labels, now) => silences.isSilenced(labels, now).length > 0,
      log: notifyLog,
    }),
    new DeliveryWorker(
      notifications,
      channels,
      notificationEnricher(config, slos, deploys),
      { backoff: defaultBackoff, giveUpAfter: config.alerting.giveUpAfter, lease: config.alerting.recoverAfter },
      notifyLog,
      {
        sent: (integration) => metrics.notificationsSent.inc({ integration }),
        retried: (integration, error) => metrics.notificationsRetried.inc({ integration, code: error.code }),
        failed: (integration) => metrics.notificationsFailed.inc({ integration }),
      },
      options.random,
    ),
    notifications,
    (depth) => metrics.outboxDepth.set(depth),
  );
  registerSloGauges(metrics, { slos, store, alerts });
  const reports = createReportScheduler({ config, slos, db, store, deploys, clock, log: log.child({ component: 'reports' }) });
  const watcher = config.deploys.buildInfo ? new BuildInfoWatcher(backend, deploys, config.deploys.buildInfo) : undefined;
  let ready = false;
  let lastHousekeeping = Number.NEGATIVE_INFINITY;
  const gateLog = new GateLog(db);
  const retention = { embedded, gateLog, samplesFor: sampleRetention(slos, config.backend.kind === 'embedded' ? config.backend.retention : undefined), gateLogFor: config.history.gateLog };
  // Stopping cancels a running cycle (its queries give the event loop a turn often), so SIGTERM is answered at once.
  const stopping = new AbortController();

  // A database file deleted or replaced under the daemon stops evaluation and delivery, and /readyz says why.
  let storageProblem: string | undefined;
  const checkStorage = (): string | undefined => {
    const problem = identity.check();
    if (problem !== storageProblem) {
      if (problem !== undefined) log.error({ database: config.database, problem }, 'database file changed under the daemon: evaluation and delivery stopped; restart the daemon');
      else log.info({ database: config.database }, 'database file is back as opened: evaluation resumes');
      storageProblem = problem;
    }
    return problem;
  };

  const tick = async () => {
    const started = performance.now();
    const now = clock.now();
    const problem = checkStorage();
    if (problem !== undefined) {
      log.error({ database: config.database, problem }, 'evaluation cycle skipped: the database file is not the one opened');
      return undefined;
    }
    const result = await evaluator.tick(now, stopping.signal);
    ready = true;
    if (result) {
      const seconds = (performance.now() - started) / 1000;
      metrics.cycleDuration.observe(seconds);
      metrics.backendQueries.inc(result.queries);
      metrics.lastCycle.set(result.at);
      for (const evaluation of result.evaluations) {
        metrics.evaluations.inc({ status: evaluation.status });
        if (evaluation.status === 'backend_error') metrics.backendErrors.inc();
      }
      log.info({ at: result.at, slos: result.evaluations.length, queries: result.queries, transitions: result.transitions.length, ms: Math.round(seconds * 1000) }, 'evaluation cycle finished');
    }
    if (watcher) {
      await watcher.poll(now).then(
        (found) => found.forEach((deploy) => log.info({ service: deploy.service, version: deploy.version }, 'deploy detected from build info')),
        (error: unknown) => log.warn({ err: error }, 'build info poll failed; will retry'),
      );
    }
    if (now - lastHousekeeping >= housekeepingEvery) {
      alerts.prune(now - 86_400);
      notifications.prune(now - 30 * 86_400);
      pruneGrowingTables(retention, now);
      lastHousekeeping = now;
    }
    return result;
  };
  const notifyTick = async () => {
    if (checkStorage() === undefined) await notifier.tick(clock.now());
  };
  const scheduler = new Scheduler(config.evaluation.schedule, async () => void (await tick()), log.child({ component: 'scheduler' }));
  const loop = new IntervalLoop(options.notifyIntervalMs ?? 1000, notifyTick, notifyLog);
  const http: FastifyInstance | undefined =
    options.http === false
      ? undefined
      : buildHttpServer({ slos, store, embedded, ready: () => ready, unhealthy: checkStorage, log, clock, authorize: createAuthorizer(config.apiTokens, { now: () => clock.now() }), limits: config.server.limits, ingestNeedsToken: config.apiTokens.length > 0, metrics, deploys, silences, alerts, gate: { sources: { slos, evaluations: store, alerts, config: config.gate }, overrides: new OverrideStore(db), log: gateLog } });
  let state: 'new' | 'started' | 'stopped' = 'new';
  let boundAddress: string | undefined;

  return {
    db,
    store,
    alerts,
    notifications,
    deploys,
    silences,
    metrics,
    tick,
    notifyTick,
    address: () => boundAddress,
    async start() {
      if (state !== 'new') return;
      state = 'started';
      if (http) {
        const listen = options.listen ?? config.server;
        boundAddress = await http.listen({ host: listen.host, port: listen.port });
        log.info({ address: boundAddress }, 'HTTP API listening');
      }
      scheduler.start();
      loop.start();
      reports.start();
      await scheduler.runOnce();
    },
    async stop() {
      if (state === 'stopped') return;
      state = 'stopped';
      stopping.abort(new Error('the daemon is stopping'));
      await scheduler.stop();
      await loop.stop();
      await reports.stop();
      await http?.close();
      await backend.close();
      for (const channel of channels.values()) await channel.close();
      lock.release();
      db.close();
    },
  };
}
