import type { BuildInfoConfig } from '../deploys/build-info-watcher.js';
import type { RoutingConfig } from '../routing/routing-model.js';
import type { ReportSettings } from '../report/report-settings.js';
import type { GateConfig } from '../gate/gate-policy.js';
import type { VerificationSettings } from '../verify/verification-settings.js';
import type { HeartbeatSettings } from './heartbeat-settings.js';
import type { ShardingSettings } from './sharding-settings.js';
import type { HttpLimits } from './server-limits.js';
import type { EmbeddedSettings } from './embedded-settings.js';
import type { AlertmanagerSettings } from '../channels/alertmanager-output.js';

/** The engine's settings from `burnrate.yaml`, with paths resolved and durations in seconds. */
export type BackendConfig =
  | ({ kind: 'embedded' } & EmbeddedSettings)
  | { kind: 'prometheus'; url: string; timeoutSeconds: number; headers: Record<string, string> };

export interface Config {
  /** The file the settings came from; undefined when defaults were used. */
  file: string | undefined;
  backend: BackendConfig;
  database: string;
  slos: string[];
  runbooks: string;
  evaluation: {
    /** node-cron expression. */
    schedule: string;
    /** Bucket width and evaluation step, seconds. */
    bucket: number;
    /** Evaluate this long behind the clock, for ingestion lag. */
    queryDelay: number;
    /** How long an empty bucket may still receive data. */
    lateness: number;
    /** SLOs queried at once. */
    concurrency: number;
    /** Missed steps replayed after downtime, at most. */
    maxCatchUpSteps: number;
  };
  history: {
    /** Kept beyond the longest SLO window, seconds. */
    retention: number;
    fullResolution: number;
    downsampleTo: number;
    /** Gate decisions are kept this long, seconds. */
    gateLog: number;
  };
  server: { host: string; port: number; limits: HttpLimits };
  alerting: {
    noDataAfter: number;
    noDataSeverity: 'page' | 'ticket';
    templates: string | null;
    runbookBaseUrl: string | null;
    links: { dashboard: string | null; query: string | null };
    giveUpAfter: number;
    deliveryTimeout: number;
    /** An attempt cut off by a crash is taken up again after this long: a request it had sent has arrived by then. */
    recoverAfter: number;
  };
  deploys: {
    /** How far before a burn a deploy counts as "the deploy that preceded it". */
    lookback: number;
    /**
     * A deploy recorded without a finish time matches one of the same service, environment, version and commit
     * that finished this long before, seconds (a retried CI step); 0 turns this off.
     */
    dedupWindow: number;
    /** Services whose deploys count for an SLO's service as well. */
    related: Readonly<Record<string, readonly string[]>>;
    buildInfo: BuildInfoConfig | undefined;
  };
  routing: RoutingConfig | undefined;
  reports: ReportSettings;
  gate: GateConfig;
  /** How deploys are verified (burnrate verify, GET /api/v1/verify). */
  verification: VerificationSettings;
  /** Pinged after every successful evaluation cycle; undefined without the `heartbeat` key. */
  heartbeat: HeartbeatSettings | undefined;
  /** This daemon's shard of the services; undefined: one daemon for every SLO. */
  sharding: ShardingSettings | undefined;
  /** burnrate's alerts posted to Alertmanager's API v2; undefined without the `alertmanager` key. */
  alertmanager: AlertmanagerSettings | undefined;
  /** Bearer tokens of the HTTP API, resolved from the environment. */
  apiTokens: ReadonlyArray<{ name: string; token: string; scopes: ReadonlyArray<'read' | 'write'> }>;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Findings that do not stop the engine, formatted `file:line:col field: warning: message`. */
  warnings: readonly string[];
}
