import { ownSlos, shardRouter } from './shard-routing.js';
import type { FastifyInstance } from 'fastify';
import type { AlertStore } from '../alerting/alert-store.js';
import { AlertTracker } from '../alerting/alert-tracker.js';
import { bucketSettings } from '../wiring/bucket-settings.js';
import { buildChannels } from '../wiring/channels.js';
import { notificationEnricher } from '../wiring/enrich-notification.js';
import { openBackend } from '../wiring/open-backend.js';
import type { MetricBackend } from '../backends/backend.js';
import type { Config } from '../config/config.js';
import type { Clock } from '../core/clock.js';
import { BuildInfoWatcher } from '../deploys/build-info-watcher.js';
import type { DeployStore } from '../deploys/deploy-store.js';
import type { Logger } from '../log.js';
import { defaultBackoff } from '../notify/backoff.js';
import type { Channel } from '../notify/channel.js';
import { DeliveryWorker } from '../notify/delivery-worker.js';
import { Dispatcher } from '../notify/dispatcher.js';
import { DeliveryBeat } from '../notify/delivery-beat.js';
import type { NotifyStore } from '../notify/notify-store.js';
import { routingPort } from '../notify/routing-adapter.js';
import type { RoutingPort } from '../notify/routing-port.js';
import { createRenderer } from '../render/create-renderer.js';
import type { SilenceStore } from '../silences/silence-store.js';
import type { Slo } from '../slo/model.js';
import type { Db } from '../store/database.js';
import { openDaemonDatabase } from './open-daemon-database.js';
import type { EvaluationStore } from '../engine/evaluation-store.js';
import { createAuthorizer } from './auth.js';
import { Evaluator, type EvaluationOutcome } from './evaluator.js';
import { buildHttpServer } from './http-server.js';
import { DaemonMetrics } from './metrics.js';
import { registerSloGauges } from './slo-gauges.js';
import { weeklyReports } from '../wiring/report-job.js';
import { openStores, storeOptionsOf } from '../wiring/open-stores.js';
import { sampleRetention } from './retention.js';
import { CycleGate } from './cycle-gate.js';
import { defaultSettingsLoader, type ReloadOutcome, type SettingsLoader } from './reload.js';
import type { Enrich } from '../notify/planned-notification.js';
import type { SloSummary } from '../notify/notification.js';
import { writeTransaction } from '../store/database.js';
import { writeAtOnce } from '../store/write-turn.js';
import { DaemonJobs } from './daemon-jobs.js';
import { deliveryJob } from './delivery-job.js';
import { evaluationJobs } from './evaluation-job.js';
import { Housekeeping } from './housekeeping.js';
import { reloadJob, type ReloadJobParts } from './reload-job.js';
import { storageWatch } from './storage-watch.js';
import { weeklyReportJob } from './weekly-report-job.js';
import { deliveryMetrics } from './metric-updates.js';
import { alertmanagerJob } from './alertmanager-job.js';
import { Heartbeat } from './heartbeat.js';
import { regressionWatch } from './regression-watch.js';
import type { PushResult } from '../channels/alertmanager-output.js';
import { targetOf, verifyAt, type VerifierParts, type VerifyAsk } from '../verify/verifier.js';

export interface App {
  /** Opens the HTTP port, runs a first cycle at once, then follows the schedule. Idempotent. */
  start(): Promise<void>;
  /** Finishes a running cycle and delivery, closes the port, the channels and the database. Idempotent. */
  stop(): Promise<void>;
  /** One evaluation now (tests drive it with a fake clock). */
  tick(): Promise<EvaluationOutcome | undefined>;
  /** One beat of alert delivery now: group, plan, deliver what is due. */
  notifyTick(): Promise<void>;
  /** One post of the active alerts to the configured Alertmanagers now; undefined without `alertmanager`. */
  pushAlerts(): Promise<PushResult | undefined>;
  /** The bound HTTP address once started. */
  address(): string | undefined;
  readonly db: Db;
  readonly store: EvaluationStore;
  readonly alerts: AlertStore;
  readonly notifications: NotifyStore;
  readonly deploys: DeployStore;
  readonly silences: SilenceStore;
  readonly metrics: DaemonMetrics;
  /**
   * Reads the SLO files, runbooks and routing again and swaps them in between cycles; on any error keeps the
   * running set. Never rejects: the outcome says what changed or every problem found.
   */
  reload(): Promise<ReloadOutcome>;
  /** The SLOs being evaluated (the reloaded set after a reload). */
  slos(): readonly Slo[];
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
  /** Wraps the configured backend, pushes still reaching the embedded store (tests inject query faults). */
  wrapBackend?: (backend: MetricBackend) => MetricBackend;
  channels?: ReadonlyMap<string, Channel>;
  /** Randomness for retry jitter. */
  random?: () => number;
  /** Milliseconds between delivery beats (default 1000). */
  notifyIntervalMs?: number;
  /** How a reload reads the settings and SLOs (default: the running settings file again, then its SLO paths). */
  loadSettings?: SettingsLoader;
}

const noRouting: RoutingPort = { route: () => [], settings: () => undefined, integrations: () => [] };

/** The composition root: every adapter is built here and nowhere else. */
export function createApp(config: Config, slos: readonly Slo[], options: AppOptions): App {
  const { clock, log } = options;
  // Every part holds this array: a reload replaces its contents, so they all see the new set.
  // A shard evaluates the services that hash to it; the router knows every shard's, to send a request to its owner.
  const router = config.sharding && shardRouter(config.sharding);
  router?.knows(slos);
  const liveSlos: Slo[] = ownSlos(slos, config.sharding);
  let liveConfig = config;
  const { db, lock, identity } = openDaemonDatabase(config.database, () => clock.now());
  const opened = options.backend ? { backend: options.backend, embedded: undefined } : openBackend(config.backend, db);
  const { embedded } = opened;
  // The daemon's writes take turns with the embedded store's ingest worker instead of blocking the event loop.
  const writeTurn = embedded?.writeTurn ?? writeAtOnce;
  const backend = options.wrapBackend ? options.wrapBackend(opened.backend) : opened.backend;
  const metrics = new DaemonMetrics();
  const stores = openStores(db, {
    ...storeOptionsOf(config),
    gateLogWrites: 'defer',
    onSilenceProblem: (silence, problem) => log.warn({ silence: silence.id, problem }, 'a stored silence mutes nothing'),
  });
  // Each store migrates its tables when first taken: in this order.
  const { evaluations: store, alerts, notifications, deploys, silences, ledger } = stores;
  const buckets = bucketSettings(config.evaluation);
  const evaluatorLog = log.child({ component: 'evaluator' });
  const watching = config.verification.watch;
  const tracker = new AlertTracker(liveSlos, alerts, {
    noDataAfter: config.alerting.noDataAfter,
    noDataSeverity: config.alerting.noDataSeverity,
    ...(watching && { regressionSeverity: config.verification.severity }),
  });
  const verifier: VerifierParts = { slos: liveSlos, deploys, backend, settings: config.verification, bucket: buckets.bucket, queryDelay: config.evaluation.queryDelay };
  const evaluator = new Evaluator(
    { slos: liveSlos, backend, ledger, settings: buckets, concurrency: config.evaluation.concurrency, writeTurn },
    store,
    { queryDelay: config.evaluation.queryDelay, maxCatchUpSteps: config.evaluation.maxCatchUpSteps },
    evaluatorLog,
    tracker,
    watching ? regressionWatch({ ...verifier, deploys }, tracker, evaluatorLog) : undefined,
  );
  const renderer = createRenderer(config.alerting.templates ? { templateDir: config.alerting.templates } : {});
  const makeChannels = (routing: Config['routing']) => buildChannels(routing, renderer, config.alerting.deliveryTimeout);
  const channels = new Map(options.channels ?? makeChannels(config.routing));
  const summaryOf = (slo: Slo): SloSummary => ({ name: slo.name, service: slo.service, description: slo.description, objective: slo.objective, window: slo.window, labels: slo.labels });
  const summaries = new Map(liveSlos.map((slo) => [slo.name, summaryOf(slo)]));
  let routing: RoutingPort = config.routing ? routingPort(config.routing) : noRouting;
  let enrich: Enrich = notificationEnricher(config, liveSlos, deploys, ledger);
  const notifyLog = log.child({ component: 'notify' });
  const deliveryBeat = new DeliveryBeat(
    new Dispatcher({
      alerts,
      store: notifications,
      routing: { route: (labels) => routing.route(labels), settings: (id) => routing.settings(id), integrations: (name) => routing.integrations(name) },
      slos: summaries,
      isSilenced: (labels, now) => silences.isSilenced(labels, now).length > 0,
      log: notifyLog,
      writeTurn,
    }),
    new DeliveryWorker(
      notifications,
      channels,
      (planned) => enrich(planned),
      { backoff: defaultBackoff, giveUpAfter: config.alerting.giveUpAfter, lease: config.alerting.recoverAfter },
      notifyLog,
      deliveryMetrics(metrics),
      options.random,
      writeTurn,
    ),
    notifications,
    (depth) => metrics.outboxDepth.set(depth),
  );
  registerSloGauges(metrics, { slos: liveSlos, store, alerts });
  metrics.reloadSuccessful.set(1);
  metrics.reloadSuccessTime.set(clock.now());
  const reportLog = log.child({ component: 'reports' });
  const reports = weeklyReports({ config, slos: liveSlos, stores, clock, log: reportLog });
  const watcher = config.deploys.buildInfo ? new BuildInfoWatcher(backend, deploys, config.deploys.buildInfo) : undefined;
  let ready = false;
  const { gateLog } = stores;
  const retention = { embedded, gateLog, samplesFor: sampleRetention(liveSlos, config.backend.kind === 'embedded' ? config.backend.retention : undefined), gateLogFor: config.history.gateLog };
  // Stopping cancels a running cycle (its queries give the event loop a turn often), so SIGTERM is answered at once.
  const stopping = new AbortController();

  const checkStorage = storageWatch(identity, config.database, log);
  const gate = new CycleGate();
  const housekeeping = new Housekeeping({ slos: liveSlos, ledger, deploys, settings: buckets, history: config.history, evaluations: store, alerts, notifications, retention, log: evaluatorLog });
  const heartbeat = config.heartbeat && new Heartbeat(config.heartbeat, log.child({ component: 'heartbeat' }));
  let lastSuccessfulCycle: number | undefined;
  const evaluation = evaluationJobs({
    clock,
    schedule: config.evaluation.schedule,
    gate,
    evaluator,
    watcher,
    housekeeping,
    metrics,
    checkStorage,
    database: config.database,
    signal: stopping.signal,
    onEvaluated: () => {
      ready = true;
    },
    heartbeat,
    onSuccessfulCycle: (at) => (lastSuccessfulCycle = at),
    log,
    scheduleLog: log.child({ component: 'scheduler' }),
  });
  const alertmanager = config.alertmanager && alertmanagerJob({ clock, gate, settings: { ...config.alertmanager, ...(config.sharding && { shard: `${config.sharding.index}/${config.sharding.count}` }) }, alerts, slos: summaries, enrich: (planned) => enrich(planned), lastSuccessfulCycle: () => lastSuccessfulCycle, log: log.child({ component: 'alertmanager' }) });
  const delivery = deliveryJob({ clock, gate, beat: (now) => deliveryBeat.run(now), checkStorage, everyMs: options.notifyIntervalMs ?? 1000, log: notifyLog });

  const loadAll = options.loadSettings ?? defaultSettingsLoader(config);
  const loadSettings: SettingsLoader = () => {
    const loaded = loadAll();
    if (!loaded.ok) return loaded;
    router?.knows(loaded.slos);
    return { ...loaded, slos: ownSlos(loaded.slos, config.sharding) };
  };
  const reloadLog = log.child({ component: 'reload' });
  // What a reload swaps in: the SLOs (every part holds liveSlos), runbooks and routing.
  const applyReload: ReloadJobParts['apply'] = async (loaded, plan, at) => {
    const removedSummaries = plan.removed.map((name) => summaries.get(name)).filter((summary) => summary !== undefined);
    liveSlos.splice(0, liveSlos.length, ...loaded.slos);
    // Only SLOs, runbooks and routing apply at once; the other settings keep their running values.
    liveConfig = { ...liveConfig, file: loaded.config.file, slos: loaded.config.slos, runbooks: loaded.config.runbooks, routing: loaded.config.routing, warnings: loaded.config.warnings };
    tracker.setSlos(liveSlos);
    summaries.clear();
    for (const slo of liveSlos) summaries.set(slo.name, summaryOf(slo));
    // A removed SLO's resolve still names it, and says why it resolved.
    for (const summary of removedSummaries) summaries.set(summary.name, { ...summary, description: removedNote(summary.description) });
    enrich = notificationEnricher({ ...config, runbooks: liveConfig.runbooks }, liveSlos, deploys, ledger);
    if (plan.routingChanged) {
      routing = liveConfig.routing ? routingPort(liveConfig.routing) : noRouting;
      if (!options.channels) {
        const previous = [...channels.values()];
        channels.clear();
        for (const [id, channel] of makeChannels(liveConfig.routing)) channels.set(id, channel);
        for (const channel of previous) await channel.close().catch((error: unknown) => reloadLog.warn({ err: error }, 'closing a replaced channel failed'));
      }
    }
    retention.samplesFor = sampleRetention(liveSlos, config.backend.kind === 'embedded' ? config.backend.retention : undefined);
    return writeTransaction(db, () => tracker.resolveOrphans(at));
  };
  const reloading = reloadJob({ clock, gate, loadSettings, running: () => ({ config: liveConfig, slos: liveSlos }), apply: applyReload, metrics, log: reloadLog });
  const reload = () => reloading.job.run();
  const jobs = new DaemonJobs(gate, { ...evaluation, delivery, weeklyReport: weeklyReportJob(reports, reportLog), reload: reloading.job });
  const verify = (ask: VerifyAsk) => verifyAt(verifier, ask, targetOf(verifier, ask, clock.now()), clock.now());
  const http: FastifyInstance | undefined =
    options.http === false
      ? undefined
      : buildHttpServer({ slos: liveSlos, reload, reloadStatus: reloading.status, store, embedded, ready: () => ready, unhealthy: checkStorage, log, clock, authorize: createAuthorizer(config.apiTokens, { now: () => clock.now() }), limits: config.server.limits, ...(router && { shards: { router, peers: config.sharding?.peers ?? [] } }), ingestNeedsToken: config.apiTokens.length > 0, metrics, deploys, ledger: { ledger, bucket: buckets.bucket }, silences, alerts, gate: { sources: { slos: liveSlos, evaluations: store, alerts, config: config.gate, deployCosts: { deploys, ledger, bucket: buckets.bucket } }, overrides: stores.overrides, log: gateLog }, verify });
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
    tick: () => evaluation.evaluation.run(),
    notifyTick: () => delivery.run(),
    pushAlerts: async () => alertmanager?.run(),
    reload,
    slos: () => liveSlos,
    address: () => boundAddress,
    async start() {
      if (state !== 'new') return;
      state = 'started';
      if (http) {
        const listen = options.listen ?? config.server;
        boundAddress = await http.listen({ host: listen.host, port: listen.port });
        log.info({ address: boundAddress }, 'HTTP API listening');
      }
      alertmanager?.start();
      await jobs.start();
    },
    async stop() {
      if (state === 'stopped') return;
      state = 'stopped';
      stopping.abort(new Error('the daemon is stopping'));
      await jobs.stop();
      await heartbeat?.close();
      await alertmanager?.stop();
      await http?.close();
      await backend.close();
      for (const channel of channels.values()) await channel.close();
      try {
        gateLog.flush();
      } catch (error) {
        log.error({ err: error }, 'writing the last gate decisions failed');
      }
      lock.release();
      db.close();
    },
  };
}

function removedNote(description: string): string {
  const note = 'Resolved because this SLO was removed from the configuration, not because it recovered.';
  return description === '' ? note : `${description} (${note})`;
}
