import { PrometheusDriver } from 'prometheus-query';
import { BackendError, type MetricBackend, type RangeQuery, type Series } from '../backend.js';
import { classifyFailure, type TransportFailure } from './classify-error.js';
import { parseMatrixAnswer } from './parse-matrix.js';
import { splitRange } from './range-chunks.js';

export interface PrometheusBackendOptions {
  /** API root of any Prometheus-compatible server, e.g. `http://prometheus:9090` or `http://mimir/prometheus`. */
  url: string;
  /** Per HTTP request (one per chunk of a long range); default 10. */
  timeoutSeconds?: number;
  headers?: Record<string, string>;
  /** Called with the `warnings` of a successful answer (e.g. a remote-read or store failure on the server). */
  onWarnings?: (warnings: readonly string[], query: RangeQuery) => void;
}

/** Raw samples are fetched at most this much time per request: about 17,000 samples per series at a 15 s scrape. */
const rawChunkMs = 3 * 24 * 3600_000;

/** Series as returned by the port, plus any warnings the server attached to its answers. */
export type PrometheusSeries = Series[] & { readonly warnings: readonly string[] };

/** Parsed body handed from the response interceptor past the driver's own parsing. */
interface RawAnswer {
  body: unknown;
}

function isRawAnswer(value: unknown): value is RawAnswer {
  return typeof value === 'object' && value !== null && 'body' in value;
}

function labelKey(labels: Readonly<Record<string, string>>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The driver wraps transport failures in a plain object; recover the BackendError thrown by our interceptor. */
function unwrap(error: unknown): unknown {
  if (error instanceof BackendError) return error;
  if (typeof error === 'object' && error !== null && 'original' in error) return (error as { original: unknown }).original;
  return error;
}

/**
 * A MetricBackend over the Prometheus HTTP API (Prometheus, Thanos, Mimir, VictoriaMetrics). Uses
 * `prometheus-query` for the requests but validates and parses the JSON itself: the driver reads `+Inf` as NaN,
 * ignores `warnings`, and loses the HTTP status of non-JSON error bodies.
 */
export function createPrometheusBackend(options: PrometheusBackendOptions): MetricBackend {
  const timeoutSeconds = options.timeoutSeconds ?? 10;
  const endpoint = options.url.replace(/\/+$/, '');
  const target = endpoint;

  /** One request through the driver; the answer body is validated and parsed here, not by the driver. */
  async function send(
    signal: AbortSignal | undefined,
    request: (driver: PrometheusDriver) => Promise<{ result: unknown }>,
  ): Promise<{ series: Series[]; warnings: string[] }> {
    const deadline = AbortSignal.timeout(timeoutSeconds * 1000);
    const combined = signal ? AbortSignal.any([signal, deadline]) : deadline;
    const driver = new PrometheusDriver({
      endpoint,
      baseURL: '/api/v1/',
      headers: { ...options.headers },
      timeout: timeoutSeconds * 1000,
      // POST keeps long expressions out of the URL; every Prometheus-compatible API accepts form bodies.
      preferPost: true,
      requestInterceptor: {
        onFulfilled: (config) => {
          config.signal = combined;
          // Thanos otherwise answers with partial data and a warning when a store is down.
          if (config.data instanceof URLSearchParams) config.data.set('partial_response', 'false');
          return config;
        },
      },
      responseInterceptor: {
        onFulfilled: (response) => {
          response.data = { status: 'success', data: { resultType: 'string', result: { body: response.data } satisfies RawAnswer } };
          return response;
        },
        onRejected: (error: TransportFailure) => {
          if (signal?.aborted) throw signal.reason;
          throw classifyFailure(error, target, deadline.aborted, timeoutSeconds);
        },
      },
    });
    let result: unknown;
    try {
      result = (await request(driver)).result;
    } catch (error) {
      const cause = unwrap(error);
      if (cause instanceof BackendError || (signal?.aborted && cause === signal.reason)) throw cause;
      throw new BackendError('bad_response', `unexpected failure querying ${target}: ${String((cause as { message?: unknown })?.message ?? cause)}`, { cause });
    }
    if (!isRawAnswer(result)) throw new BackendError('bad_response', `unexpected answer shape from ${target}`);
    return parseMatrixAnswer(result.body);
  }

  // Dates, not numbers: the driver replaces a falsy time (0) with "now".
  const queryChunk = (query: RangeQuery, start: number, end: number, signal: AbortSignal | undefined) =>
    send(signal, (driver) => driver.rangeQuery(query.expr, new Date(start * 1000), new Date(end * 1000), query.step, `${timeoutSeconds}s`));

  /** Raw samples in [to − span, to] (Prometheus 2.x includes both ends, 3.x only the right one). */
  const samplesChunk = (selector: string, to: number, spanMs: number, signal: AbortSignal | undefined) =>
    send(signal, (driver) => driver.instantQuery(`${selector}[${spanMs}ms]`, new Date(to * 1000), `${timeoutSeconds}s`));

  const merge = (into: Map<string, { labels: Series['labels']; points: Series['points'][number][] }>, series: readonly Series[]) => {
    for (const one of series) {
      const key = labelKey(one.labels);
      const existing = into.get(key);
      if (!existing) into.set(key, { labels: one.labels, points: [...one.points] });
      // Adjacent chunks share their boundary instant: keep a sample once.
      else for (const point of one.points) if (point.t > (existing.points.at(-1)?.t ?? Number.NEGATIVE_INFINITY)) existing.points.push(point);
    }
  };

  return {
    kind: 'prometheus',
    async queryRange(query, signal) {
      const chunks = splitRange(query.start, query.end, query.step);
      if (chunks.length === 0) throw new BackendError('bad_query', `invalid range: start ${query.start}, end ${query.end}, step ${query.step}`);
      const merged = new Map<string, { labels: Series['labels']; points: Series['points'][number][] }>();
      const warnings: string[] = [];
      for (const chunk of chunks) {
        const answer = await queryChunk(query, chunk.start, chunk.end, signal);
        warnings.push(...answer.warnings);
        merge(merged, answer.series);
      }
      if (warnings.length > 0) options.onWarnings?.(warnings, query);
      return Object.assign([...merged.values()], { warnings }) satisfies PrometheusSeries;
    },
    async rawSamples(query, signal) {
      const fromMs = Math.round(query.from * 1000);
      const toMs = Math.round(query.to * 1000);
      if (!(toMs >= fromMs)) throw new BackendError('bad_query', `invalid sample range: from ${query.from}, to ${query.to}`);
      const merged = new Map<string, { labels: Series['labels']; points: Series['points'][number][] }>();
      const warnings: string[] = [];
      // Oldest chunk first, so points stay in time order; a chunk bounds the size of one answer.
      for (let chunkStart = fromMs; chunkStart <= toMs; chunkStart += rawChunkMs) {
        const chunkEnd = Math.min(chunkStart + rawChunkMs, toMs);
        const answer = await samplesChunk(query.selector, chunkEnd / 1000, Math.max(chunkEnd - chunkStart, 1), signal);
        warnings.push(...answer.warnings);
        merge(merged, answer.series.map((one) => ({ labels: one.labels, points: one.points.filter((p) => p.t * 1000 >= chunkStart) })));
        if (chunkEnd === toMs) break;
      }
      if (warnings.length > 0) options.onWarnings?.(warnings, { expr: query.selector, start: query.from, end: query.to, step: 0 });
      return Object.assign([...merged.values()], { warnings }) satisfies PrometheusSeries;
    },
    async close() {
      // Each query owns its HTTP client; nothing stays open.
    },
  };
}
