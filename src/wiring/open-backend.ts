import type { MetricBackend } from '../backends/backend.js';
import { createEmbeddedBackend, type EmbeddedBackend } from '../backends/embedded/embedded-backend.js';
import { createPrometheusBackend } from '../backends/prometheus/prometheus-backend.js';
import type { BackendConfig } from '../config/config.js';
import type { Db } from '../store/database.js';

export interface OpenedBackend {
  backend: MetricBackend;
  /** Present when the backend is the embedded store, which accepts pushed samples. */
  embedded: EmbeddedBackend | undefined;
}

/** The configured metric backend; the embedded store lives in the engine's own database. */
export function openBackend(config: BackendConfig, db: Db): OpenedBackend {
  if (config.kind === 'prometheus') {
    return {
      backend: createPrometheusBackend({ url: config.url, timeoutSeconds: config.timeoutSeconds, headers: config.headers }),
      embedded: undefined,
    };
  }
  const embedded = createEmbeddedBackend(db, config.limits);
  return { backend: embedded, embedded };
}
