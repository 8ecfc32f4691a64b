import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { HttpLimits } from '../../src/config/server-limits.js';
import { AlertStore } from '../../src/alerting/alert-store.js';
import { AlertTracker } from '../../src/alerting/alert-tracker.js';
import type { WindowCounts } from '../../src/core/burn-rate.js';
import { createEmbeddedBackend, type EmbeddedBackend } from '../../src/backends/embedded/embedded-backend.js';
import { ManualClock } from '../../src/core/clock.js';
import { shardRouter } from '../../src/daemon/shard-routing.js';
import { SqliteLedger } from '../../src/ledger/sqlite-ledger.js';
import { DeployStore } from '../../src/deploys/deploy-store.js';
import { createAuthorizer, type ApiToken, type Authorize } from '../../src/daemon/auth.js';
import { buildHttpServer } from '../../src/daemon/http-server.js';
import { DaemonMetrics } from '../../src/daemon/metrics.js';
import { evaluateSlo, type SloEvaluation } from '../../src/engine/slo-evaluation.js';
import { alertWindows } from '../../src/engine/slo-windows.js';
import { GateLog } from '../../src/gate/gate-log.js';
import { defaultGateConfig } from '../../src/gate/gate-policy.js';
import { OverrideStore } from '../../src/gate/override-store.js';
import { silentLogger, type Logger } from '../../src/log.js';
import { SilenceStore } from '../../src/silences/silence-store.js';
import type { Slo } from '../../src/slo/model.js';
import { openDatabase, type Db } from '../../src/store/database.js';
import { EvaluationStore } from '../../src/engine/evaluation-store.js';
import { testSlo } from '../support/slo-fixture.js';
import { createMemoryBackend } from '../../src/backends/memory-backend.js';
import { defaultVerificationSettings } from '../../src/verify/verification-settings.js';
import { targetOf, verifyAt, type VerifierParts, type VerifyAsk } from '../../src/verify/verifier.js';

export const t0 = Date.parse('2026-11-02T12:00:00Z') / 1000;

export const tokens: ApiToken[] = [
  { name: 'ci', token: 'write-token-0123456789', scopes: ['read', 'write'] },
  { name: 'dashboard', token: 'read-token-0123456789', scopes: ['read'] },
];
export const writeAuth = { authorization: `Bearer ${tokens[0]!.token}` };
export const readAuth = { authorization: `Bearer ${tokens[1]!.token}` };

export const defaultSlos: Slo[] = [
  testSlo({ name: 'checkout-availability', service: 'checkout', labels: { team: 'payments' } }),
  testSlo({ name: 'checkout-latency', service: 'checkout', labels: { team: 'payments' }, objective: 99 }),
  testSlo({ name: 'search-availability', service: 'search', labels: { team: 'discovery' } }),
];

export interface ApiHarness {
  app: FastifyInstance;
  db: Db;
  clock: ManualClock;
  store: EvaluationStore;
  alerts: AlertStore;
  deploys: DeployStore;
  ledger: SqliteLedger;
  silences: SilenceStore;
  metrics: DaemonMetrics;
  slos: readonly Slo[];
  /**
   * Stores one evaluation per SLO named in `ratios` at `at`, as the evaluator would, alerts included: every alert
   * window at its ratio, the SLO window at `budgetRatios`' (default the same).
   */
  record(at: number, ratios: Readonly<Record<string, number>>, eventsPerSecond?: number, budgetRatios?: Readonly<Record<string, number>>): SloEvaluation[];
}

export interface HarnessOptions {
  tokens?: readonly ApiToken[];
  slos?: readonly Slo[];
  log?: Logger;
  /** Serve the embedded sample store (the ingest route). */
  embedded?: boolean;
  /** Serve as shard 0 of 1 (the shard routes). */
  sharded?: boolean;
  /** Change the embedded store the route sees (faults). */
  wrapEmbedded?: (backend: EmbeddedBackend) => EmbeddedBackend;
  /** Instead of `createAuthorizer(tokens)`. */
  authorize?: Authorize & { tokenName?: (request: FastifyRequest) => string | undefined };
  /** The server's timeouts and connection limit. */
  limits?: HttpLimits;
}

const open: ApiHarness[] = [];

/** The daemon's HTTP server on real stores in an in-memory SQLite database. */
export async function apiHarness(options: HarnessOptions = {}): Promise<ApiHarness> {
  const db = openDatabase(':memory:');
  const slos = options.slos ?? defaultSlos;
  const clock = new ManualClock(t0);
  const store = new EvaluationStore(db);
  const alerts = new AlertStore(db);
  const deploys = new DeployStore(db);
  const ledger = new SqliteLedger(db);
  const silences = new SilenceStore(db);
  const metrics = new DaemonMetrics();
  const tracker = new AlertTracker(slos, alerts, { noDataAfter: 600, noDataSeverity: 'ticket' });
  const embedded = options.embedded ? (options.wrapEmbedded ?? ((backend) => backend))(createEmbeddedBackend(db)) : undefined;
  const verifier: VerifierParts = { slos, deploys, backend: embedded ?? createMemoryBackend(), settings: defaultVerificationSettings, bucket: 60, queryDelay: 0 };
  const app = buildHttpServer({
    slos,
    store,
    embedded,
    ready: () => true,
    log: options.log ?? silentLogger,
    clock,
    authorize: options.authorize ?? createAuthorizer(options.tokens ?? tokens),
    ...(options.limits !== undefined && { limits: options.limits }),
    metrics,
    deploys,
    ledger: { ledger, bucket: 60 },
    silences,
    alerts,
    ...(options.sharded && { shards: { router: shardRouter({ index: 0, count: 1, peers: [] }), peers: [] } }),
    gate: { sources: { slos, evaluations: store, alerts, config: defaultGateConfig }, overrides: new OverrideStore(db), log: new GateLog(db) },
    verify: (ask: VerifyAsk) => verifyAt(verifier, ask, targetOf(verifier, ask, clock.now()), clock.now()),
  });
  await app.ready();

  const record = (at: number, ratios: Readonly<Record<string, number>>, eventsPerSecond = 10, budgetRatios = ratios) => {
    const evaluations = Object.entries(ratios).map(([name, ratio]) => {
      const slo = slos.find((s) => s.name === name);
      if (!slo) throw new Error(`no SLO ${name}`);
      const counts = (seconds: number, r = ratio): WindowCounts => ({ errors: r * eventsPerSecond * seconds, total: eventsPerSecond * seconds, coverage: 1 });
      return evaluateSlo(slo, at, new Map(alertWindows(slo).map((w) => [w, counts(w)])), counts(slo.window, budgetRatios[name] ?? ratio));
    });
    db.transaction(() => {
      store.recordCycle(evaluations);
      tracker.apply(evaluations);
    })();
    return evaluations;
  };

  const harness = { app, db, clock, store, alerts, deploys, ledger, silences, metrics, slos, record };
  open.push(harness);
  return harness;
}

export async function closeHarnesses(): Promise<void> {
  for (const h of open.splice(0)) {
    await h.app.close();
    if (h.db.open) h.db.close();
  }
}

export interface ErrorJson {
  error: { code: string; message: string; fields?: Array<{ path: string; message: string }> };
}
