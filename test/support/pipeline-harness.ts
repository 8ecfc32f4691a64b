import Database from 'better-sqlite3';
import { AlertStore } from '../../src/alerting/alert-store.js';
import { AlertTracker } from '../../src/alerting/alert-tracker.js';
import { createMemoryBackend } from '../../src/backends/memory-backend.js';
import { Evaluator } from '../../src/daemon/evaluator.js';
import { SqliteLedger } from '../../src/ledger/sqlite-ledger.js';
import { silentLogger } from '../../src/log.js';
import { DeliveryWorker } from '../../src/notify/delivery-worker.js';
import { Dispatcher } from '../../src/notify/dispatcher.js';
import { MemoryChannel } from '../../src/notify/memory-channel.js';
import { NotifyStore } from '../../src/notify/notify-store.js';
import { enrichWith } from '../../src/notify/planned-notification.js';
import type { GroupSettings, RoutingPort } from '../../src/notify/routing-port.js';
import type { Slo } from '../../src/slo/model.js';
import { EvaluationStore } from '../../src/engine/evaluation-store.js';
import { testSlo } from './slo-fixture.js';
import { syntheticIndicator, syntheticTraffic, type Traffic } from './synthetic-traffic.js';

/** One route grouping by `team`, one receiver with one in-memory integration. */
export function teamRouting(settings: GroupSettings): RoutingPort {
  return {
    route: (labels) => [{ routeId: 'r0', receiver: 'oncall', groupKey: `team=${labels['team'] ?? ''}`, groupLabels: { team: labels['team'] ?? '' }, settings }],
    settings: () => settings,
    integrations: () => ['oncall/slack'],
  };
}

export interface Harness {
  slos: Slo[];
  channel: MemoryChannel;
  traffic: Traffic;
  notify: NotifyStore;
  alerts: AlertStore;
  /** Runs evaluation at each minute and dispatch + delivery at each `stepSeconds` up to `until`. */
  runUntil(until: number): Promise<void>;
  /** A new dispatcher and worker over the same database and channel, as after a restart. */
  restart(): void;
  now(): number;
}

export function pipelineHarness(options: {
  start: number;
  sloNames: string[];
  traffic: Traffic;
  settings: GroupSettings;
  stepSeconds?: number;
  db?: Database.Database;
  channel?: MemoryChannel;
  silenced?: (labels: Readonly<Record<string, string>>) => boolean;
}): Harness {
  const db = options.db ?? new Database(':memory:');
  const slos = options.sloNames.map((name) =>
    testSlo({ name, service: name, labels: { team: 'payments' }, indicator: syntheticIndicator(name) }),
  );
  const channel = options.channel ?? new MemoryChannel('slack');
  const alerts = new AlertStore(db);
  const notify = new NotifyStore(db);
  const evaluations = new EvaluationStore(db);
  const evaluator = new Evaluator(
    {
      slos,
      backend: createMemoryBackend({ value: syntheticTraffic(options.traffic) }),
      ledger: new SqliteLedger(db),
      settings: { bucket: 60, coarseBucket: 3600, fineSpan: 4 * 86_400, lateness: 300 },
      concurrency: 8,
    },
    evaluations,
    { queryDelay: 0, maxCatchUpSteps: 360, history: { retention: 86_400, fullResolution: 2 * 86_400, downsampleTo: 3600 } },
    silentLogger,
    new AlertTracker(slos, alerts, { noDataAfter: 600, noDataSeverity: 'ticket' }),
  );
  const summaries = new Map(slos.map((slo) => [slo.name, { name: slo.name, service: slo.service, description: '', objective: slo.objective, window: slo.window, labels: slo.labels }]));
  const build = () => ({
    dispatcher: new Dispatcher({ alerts, store: notify, routing: teamRouting(options.settings), slos: summaries, isSilenced: (labels) => options.silenced?.(labels) ?? false, log: silentLogger }),
    worker: new DeliveryWorker(
      notify,
      new Map([['oncall/slack', channel]]),
      enrichWith(() => ({ runbook: null, deploy: { found: false, lookback: 86_400 }, links: { dashboard: null, query: null } })),
      { backoff: { initial: 5, max: 300 }, giveUpAfter: 7200, lease: 21 },
      silentLogger,
      { sent: () => undefined, retried: () => undefined, failed: () => undefined },
      () => 0.5,
    ),
  });
  let parts = build();
  let now = options.start;
  const step = options.stepSeconds ?? 5;
  return {
    slos,
    channel,
    traffic: options.traffic,
    notify,
    alerts,
    now: () => now,
    restart: () => {
      parts = build();
    },
    async runUntil(until: number) {
      for (; now <= until; now += step) {
        if (now % 60 === 0) await evaluator.evaluateDue(now);
        await parts.dispatcher.planDue(now);
        await parts.worker.deliverDue(now);
      }
      now -= step;
      now += step;
    },
  };
}
