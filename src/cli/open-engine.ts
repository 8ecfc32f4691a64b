import { openBackend, type OpenedBackend } from '../wiring/open-backend.js';
import { createPrometheusBackend } from '../backends/prometheus/prometheus-backend.js';
import type { Config } from '../config/config.js';
import { openCliDatabase, type DatabaseAccess } from './database-access.js';

export interface EngineSession extends OpenedBackend {
  close(): Promise<void>;
}

/**
 * Opens the configured backend for a one-shot command. The embedded store lives in the database, opened with
 * `access`; a Prometheus backend needs no database, so none is opened (nor created). Commands that read long
 * ranges give each request at least `minTimeoutSeconds`.
 */
export function openEngine(config: Config, access: DatabaseAccess, options: { minTimeoutSeconds?: number } = {}): EngineSession {
  if (config.backend.kind === 'prometheus') {
    const { url, headers } = config.backend;
    const timeoutSeconds = Math.max(config.backend.timeoutSeconds, options.minTimeoutSeconds ?? 0);
    const backend = createPrometheusBackend({ url, timeoutSeconds, headers });
    return { backend, embedded: undefined, close: () => backend.close() };
  }
  const db = openCliDatabase(config.database, access);
  const opened = openBackend(config.backend, db);
  return {
    ...opened,
    async close() {
      await opened.backend.close();
      db.close();
    },
  };
}
