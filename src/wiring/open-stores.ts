import { AlertStore } from '../alerting/alert-store.js';
import type { Config } from '../config/config.js';
import { DeployStore } from '../deploys/deploy-store.js';
import { EvaluationStore } from '../engine/evaluation-store.js';
import { GateLog, type GateLogWrites } from '../gate/gate-log.js';
import { OverrideStore } from '../gate/override-store.js';
import { SqliteLedger } from '../ledger/sqlite-ledger.js';
import { NotifyStore } from '../notify/notify-store.js';
import { ReportDeliveryStore } from '../report/report-deliveries.js';
import type { Silence } from '../silences/silence.js';
import { SilenceStore } from '../silences/silence-store.js';
import type { Db } from '../store/database.js';

/** Every store over one database: the daemon and each command take theirs from here. */
export interface Stores {
  readonly db: Db;
  readonly evaluations: EvaluationStore;
  readonly alerts: AlertStore;
  readonly notifications: NotifyStore;
  readonly deploys: DeployStore;
  readonly silences: SilenceStore;
  readonly ledger: SqliteLedger;
  readonly gateLog: GateLog;
  readonly overrides: OverrideStore;
  readonly reportDeliveries: ReportDeliveryStore;
}

export interface StoreOptions {
  /** Deploys of one service and version this close together are one deploy (seconds; the store's default otherwise). */
  dedupWindow?: number;
  /** How the gate log writes a decision (the daemon defers one while another connection holds the write lock). */
  gateLogWrites?: GateLogWrites;
  /** Told once of each stored silence that mutes nothing. */
  onSilenceProblem?: (silence: Silence, problem: string) => void;
}

/** The store options the settings decide (the daemon adds its own). */
export function storeOptionsOf(config: Config): StoreOptions {
  return { dedupWindow: config.deploys.dedupWindow };
}

/**
 * The stores over `db`. Each is built when first asked for, once: a store's constructor migrates its tables, so
 * a command creates only the tables it touches, and the daemon migrates them in the order it asks.
 */
export function openStores(db: Db, options: StoreOptions = {}): Stores {
  const built = new Map<keyof Stores, unknown>();
  const once = <K extends keyof Stores>(key: K, build: () => Stores[K]) => ({
    enumerable: true,
    get: (): Stores[K] => {
      if (!built.has(key)) built.set(key, build());
      return built.get(key) as Stores[K];
    },
  });
  return Object.defineProperties({ db } as Stores, {
    evaluations: once('evaluations', () => new EvaluationStore(db)),
    alerts: once('alerts', () => new AlertStore(db)),
    notifications: once('notifications', () => new NotifyStore(db)),
    deploys: once('deploys', () => new DeployStore(db, options.dedupWindow === undefined ? {} : { dedupWindow: options.dedupWindow })),
    silences: once('silences', () => new SilenceStore(db, options.onSilenceProblem ? { onProblem: options.onSilenceProblem } : {})),
    ledger: once('ledger', () => new SqliteLedger(db)),
    gateLog: once('gateLog', () => new GateLog(db, options.gateLogWrites ?? 'wait')),
    overrides: once('overrides', () => new OverrideStore(db)),
    reportDeliveries: once('reportDeliveries', () => new ReportDeliveryStore(db)),
  });
}
