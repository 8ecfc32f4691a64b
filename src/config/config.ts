/** The engine's settings from `burnrate.yaml`, with paths resolved and durations in seconds. */
export type BackendConfig =
  | { kind: 'embedded' }
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
  };
  server: { host: string; port: number };
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}
