import { BackendError, type MetricBackend, type RangeQuery, type Series } from '../backend.js';
import type { Db } from '../../store/database.js';
import { SharedWriteTurn, writeAtOnce, type WriteTurn } from '../../store/write-turn.js';
import type { ExpositionFormat } from './exposition-parser.js';
import { parsePromql } from './promql-parser.js';
import { cachedSampleReader, widestReach } from './cached-sample-reader.js';
import { compileMatcher } from '../../labels/matchers.js';
import { evaluateCooperatively } from './range-evaluator.js';
import { giveTurn, runCooperatively, turnIsOver } from './cooperative.js';
import { lookbackDeltaMs } from './selector-eval.js';
import { createSampleStore, type IngestCounts, type IngestOptions } from './sample-store.js';
import { createIngestWorker } from './ingest-worker-client.js';
import { defaultIngestLimits, type IngestLimits } from './ingest-limits.js';
import { stepGrid } from './step-values.js';
import { sortCooperatively } from './cooperative-sort.js';
import { compareLabels } from './labels.js';

export interface EmbeddedIngestOptions {
  /** Default: OpenMetrics when the text ends with `# EOF`, else Prometheus text 0.0.4. */
  format?: ExpositionFormat;
  /** Unix seconds for samples without a timestamp; without it such a sample rejects the input. */
  defaultTimestamp?: number;
  /** The ingesting clock, unix seconds: samples more than the future tolerance ahead of it are rejected. */
  now?: number;
  /** A file rather than a push: stored in batches of `samplesPerPush` (see IngestOptions.inBatches). */
  inBatches?: boolean;
}

export interface EmbeddedBackend extends MetricBackend {
  readonly kind: 'embedded';
  /**
   * Parses and stores an exposition in one transaction; a malformed line rejects all of it (ExpositionError), so
   * does a push over a limit (IngestLimitError). Samples against the append rules are rejected and counted.
   */
  ingest(text: string, options?: EmbeddedIngestOptions): IngestCounts;
  /**
   * Like `ingest`, off the event loop: in a worker thread with its own connection when the database is a file
   * (in this thread for an in-memory database).
   */
  push(text: string, options?: EmbeddedIngestOptions): Promise<IngestCounts>;
  /** Series stored. */
  seriesCount(): number;
  /** Deletes samples older than `t` (unix seconds) in slices of the event loop; returns how many were deleted. */
  deleteBefore(t: number): Promise<number>;
  /** Turns for the event loop's writes to this database with the ingest worker's (every daemon write takes one). */
  readonly writeTurn: WriteTurn;
}

function storeOptions(options: EmbeddedIngestOptions): IngestOptions {
  return {
    ...(options.format === undefined ? {} : { format: options.format }),
    ...(options.defaultTimestamp === undefined ? {} : { defaultTimestampMs: Math.round(options.defaultTimestamp * 1000) }),
    ...(options.now === undefined ? {} : { nowMs: Math.round(options.now * 1000) }),
    ...(options.inBatches === true && { inBatches: true }),
  };
}

/**
 * A metric backend over the SQLite sample store, evaluating a PromQL subset with Prometheus 2.42 semantics.
 * The database stays owned by the caller: `close()` does not close it.
 */
export function createEmbeddedBackend(db: Db, limits: IngestLimits = defaultIngestLimits): EmbeddedBackend {
  const turn = db.memory ? undefined : new SharedWriteTurn();
  const store = createSampleStore(db, limits, turn ? { loop: turn } : {});
  const worker = turn && createIngestWorker(db.name, limits, turn.buffer);
  let closed = false;
  return {
    kind: 'embedded',
    writeTurn: turn ?? writeAtOnce,
    ingest: (text, options = {}) => store.ingest(text, storeOptions(options)),
    async push(text, options = {}) {
      if (closed) throw new BackendError('unreachable', 'the embedded backend is closed');
      if (worker === undefined) return store.ingest(text, storeOptions(options));
      const counts = await worker.ingest(text, storeOptions(options));
      await store.catchUp();
      return counts;
    },
    seriesCount: () => store.seriesCount(),
    deleteBefore: (t) => store.deleteBefore(Math.round(t * 1000)),
    async queryRange(query: RangeQuery, signal?: AbortSignal): Promise<Series[]> {
      if (closed) throw new BackendError('unreachable', 'the embedded backend is closed');
      const expr = parsePromql(query.expr);
      await store.catchUp();
      const grid = stepGrid(query);
      const checkAbort = (): void => {
        if (signal?.aborted) throw new BackendError('timeout', 'the query was aborted', { cause: signal.reason });
      };
      const endMs = grid.startMs + (grid.count - 1) * grid.stepMs;
      const reader = cachedSampleReader(store, grid.startMs - widestReach(expr, lookbackDeltaMs), endMs);
      const value = await evaluateCooperatively(expr, { store: reader, grid, checkAbort });
      const times = Array.from({ length: grid.count }, (_, i) => (grid.startMs + i * grid.stepMs) / 1000);
      if (value.type === 'scalar') {
        return [{ labels: {}, points: times.map((t, i) => ({ t, value: value.values[i] as number })) }];
      }
      const sorted = await runCooperatively(sortCooperatively(value.series, (a, b) => compareLabels(a.labels, b.labels)));
      return sorted.map((series) => {
        const points: Array<{ t: number; value: number }> = [];
        for (let i = 0; i < grid.count; i++) {
          if (series.present[i] === 1) points.push({ t: times[i] as number, value: series.values[i] as number });
        }
        return { labels: series.labels, points };
      });
    },
    async rawSamples(query, signal) {
      if (closed) throw new BackendError('unreachable', 'the embedded backend is closed');
      const selector = parsePromql(query.selector);
      if (selector.kind !== 'vector') throw new BackendError('bad_query', `expected a series selector, got ${query.selector}`);
      const fromMs = Math.round(query.from * 1000);
      const toMs = Math.round(query.to * 1000);
      await store.catchUp();
      const result: Series[] = [];
      for (const stored of await runCooperatively(store.selectSeries(selector.matchers.map(compileMatcher)))) {
        if (turnIsOver()) await giveTurn();
        if (signal?.aborted) throw new BackendError('timeout', 'the query was aborted', { cause: signal.reason });
        const columns = store.loadSamples(stored.id, fromMs, toMs);
        const points: Array<{ t: number; value: number }> = [];
        // Staleness markers end a series in Prometheus' range selection: they are not samples.
        for (let i = 0; i < columns.t.length; i++) if (columns.stale[i] !== 1) points.push({ t: (columns.t[i] as number) / 1000, value: columns.value[i] as number });
        if (points.length > 0) result.push({ labels: stored.labels, points });
      }
      return result;
    },
    async close() {
      closed = true;
      await worker?.close();
    },
  };
}
