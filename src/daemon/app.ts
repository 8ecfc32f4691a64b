import type { FastifyInstance } from 'fastify';
import { openBackend } from '../app/open-backend.js';
import { bucketSettings } from '../app/bucket-settings.js';
import type { Config } from '../config/config.js';
import type { Clock } from '../core/clock.js';
import { SqliteLedger } from '../ledger/sqlite-ledger.js';
import type { Logger } from '../log.js';
import type { Slo } from '../slo/model.js';
import { openDatabase, type Db } from '../store/database.js';
import { EvaluationStore } from '../store/evaluation-store.js';
import { Evaluator, type TickResult } from './evaluator.js';
import { buildHttpServer } from './http-server.js';
import { Scheduler } from './scheduler.js';

export interface App {
  /** Opens the HTTP port, runs a first cycle at once, then follows the schedule. Idempotent. */
  start(): Promise<void>;
  /** Finishes a running cycle, closes the port and the database. Idempotent. */
  stop(): Promise<void>;
  /** One evaluation now (tests, `eval`). */
  tick(): Promise<TickResult | undefined>;
  /** The bound HTTP address once started. */
  address(): string | undefined;
  readonly db: Db;
  readonly store: EvaluationStore;
}

export interface AppOptions {
  clock: Clock;
  log: Logger;
  /** Listen here instead of the configured address (tests pass port 0). */
  listen?: { host: string; port: number };
  /** Run without the HTTP server. */
  http?: boolean;
}

/** The composition root: every adapter is built here and nowhere else. */
export function createApp(config: Config, slos: readonly Slo[], options: AppOptions): App {
  const { clock, log } = options;
  const db = openDatabase(config.database);
  const { backend, embedded } = openBackend(config.backend, db);
  const store = new EvaluationStore(db);
  const evaluator = new Evaluator(
    { slos, backend, ledger: new SqliteLedger(db), settings: bucketSettings(config.evaluation), concurrency: config.evaluation.concurrency },
    store,
    {
      queryDelay: config.evaluation.queryDelay,
      maxCatchUpSteps: config.evaluation.maxCatchUpSteps,
      history: config.history,
    },
    log.child({ component: 'evaluator' }),
  );
  let ready = false;
  const tick = async () => {
    const started = performance.now();
    const result = await evaluator.tick(clock.now());
    ready = true;
    if (result) {
      log.info(
        { at: result.at, slos: result.evaluations.length, queries: result.queries, transitions: result.transitions.length, ms: Math.round(performance.now() - started) },
        'evaluation cycle finished',
      );
    }
    return result;
  };
  const scheduler = new Scheduler(config.evaluation.schedule, async () => void (await tick()), log.child({ component: 'scheduler' }));
  const http: FastifyInstance | undefined =
    options.http === false ? undefined : buildHttpServer({ slos, store, embedded, ready: () => ready, log });
  let state: 'new' | 'started' | 'stopped' = 'new';
  let boundAddress: string | undefined;

  return {
    db,
    store,
    tick,
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
      await scheduler.runOnce();
    },
    async stop() {
      if (state === 'stopped') return;
      state = 'stopped';
      await scheduler.stop();
      await http?.close();
      await backend.close();
      db.close();
    },
  };
}
