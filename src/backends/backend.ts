/** The port every metric source implements: Prometheus-compatible servers and the embedded store. */

export interface RangeQuery {
  /** A complete PromQL expression (templates already filled in). */
  expr: string;
  /** Unix seconds, inclusive. */
  start: number;
  end: number;
  /** Seconds between evaluation points. */
  step: number;
}

export interface Series {
  labels: Readonly<Record<string, string>>;
  /** Ascending by t; steps where the expression had no value are absent. Values may be NaN or ±Inf. */
  points: ReadonlyArray<{ t: number; value: number }>;
}

/** Raw samples of every series a selector matches, `from ≤ t ≤ to` (unix seconds). */
export interface SampleQuery {
  /** An instant-vector selector: `metric{label="value", …}`. */
  selector: string;
  from: number;
  to: number;
}

export interface MetricBackend {
  readonly kind: 'prometheus' | 'embedded' | 'memory';
  /** Evaluates `expr` at every step in [start, end], all at the times given, never "now". */
  queryRange(query: RangeQuery, signal?: AbortSignal): Promise<Series[]>;
  /**
   * The stored samples themselves, with every label (`__name__` included), in time order. Exact error budgets are
   * summed from them; a backend without it gets budgets from per-bucket `increase()`, which are approximate.
   */
  rawSamples?(query: SampleQuery, signal?: AbortSignal): Promise<Series[]>;
  close(): Promise<void>;
}

export const backendErrorCodes = ['unreachable', 'timeout', 'bad_query', 'unsupported_query', 'server_error', 'bad_response'] as const;
export type BackendErrorCode = (typeof backendErrorCodes)[number];

/** A failed query. `retryable` says whether the same query may succeed later (network, timeouts, 5xx). */
export class BackendError extends Error {
  readonly code: BackendErrorCode;
  readonly retryable: boolean;
  constructor(code: BackendErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BackendError';
    this.code = code;
    this.retryable = code === 'unreachable' || code === 'timeout' || code === 'server_error';
  }
}
