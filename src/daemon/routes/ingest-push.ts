import type { FastifyBaseLogger } from 'fastify';
import type { EmbeddedBackend } from '../../backends/embedded/embedded-backend.js';
import type { ExpositionFormat } from '../../backends/embedded/exposition-parser.js';
import { describeRejections } from '../../backends/embedded/ingest-rules.js';
import type { IngestCounts } from '../../backends/embedded/sample-store.js';

/**
 * A push to `POST /api/v1/ingest`, stamped and bounded by the daemon's clock. Throws ExpositionError (400) or
 * IngestLimitError (413) with nothing stored; samples against the append rules are left out, counted in the
 * answer and logged.
 */
export function pushSamples(embedded: EmbeddedBackend, body: string, format: ExpositionFormat, now: number, log: FastifyBaseLogger): IngestCounts {
  const counts = embedded.ingest(body, { format, defaultTimestamp: now, now });
  if (counts.rejected.total > 0) log.warn({ rejected: counts.rejected }, `ingest: ${describeRejections(counts.rejected)}`);
  return counts;
}
