import type { FastifyBaseLogger } from 'fastify';
import type { EmbeddedBackend } from '../../backends/embedded/embedded-backend.js';
import type { ExpositionFormat } from '../../backends/embedded/exposition-parser.js';
import { describeRejections } from '../../backends/embedded/ingest-rules.js';
import type { IngestCounts } from '../../backends/embedded/sample-store.js';

/**
 * A push to `POST /api/v1/ingest`, stamped and bounded by the daemon's clock. Throws ExpositionError (400) or
 * IngestLimitError (413) with nothing stored (parsed and stored off the event loop); samples against the append rules are left out, counted in the
 * answer and logged.
 */
export async function pushSamples(embedded: EmbeddedBackend, body: string, format: ExpositionFormat, now: number, log: FastifyBaseLogger): Promise<IngestCounts> {
  const counts = await embedded.push(body, { format, defaultTimestamp: now, now });
  if (counts.rejected.total > 0) log.warn({ rejected: counts.rejected }, `ingest: ${describeRejections(counts.rejected)}`);
  return counts;
}
