import { BackendError, type Series } from '../backend.js';

export interface MatrixAnswer {
  series: Series[];
  warnings: string[];
}

/** Prometheus encodes sample values as strings, with `NaN`, `+Inf` and `-Inf` for the special values. */
export function parseSampleValue(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  if (text === 'NaN') return NaN;
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text.trim() === '') return undefined;
  const value = Number(text);
  return Number.isNaN(value) ? undefined : value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function malformed(detail: string): BackendError {
  return new BackendError('bad_response', `malformed query_range answer: ${detail}`);
}

function parseLabels(metric: unknown, index: number): Record<string, string> {
  if (!isRecord(metric)) throw malformed(`result[${index}].metric is not an object`);
  const labels: Record<string, string> = {};
  for (const [name, value] of Object.entries(metric)) {
    if (typeof value !== 'string') throw malformed(`result[${index}].metric.${name} is not a string`);
    labels[name] = value;
  }
  return labels;
}

function parsePoints(values: unknown, index: number): Series['points'] {
  if (!Array.isArray(values)) throw malformed(`result[${index}].values is not an array`);
  return values.map((pair: unknown, at) => {
    const [t, raw] = Array.isArray(pair) && pair.length === 2 ? pair : [];
    const value = parseSampleValue(raw);
    if (typeof t !== 'number' || !Number.isFinite(t) || value === undefined) {
      throw malformed(`result[${index}].values[${at}] is not a [unix seconds, "value"] pair`);
    }
    return { t, value };
  });
}

/** Validates a `/api/v1/query_range` body: `status: success`, `resultType: matrix`, well-formed series. */
export function parseMatrixAnswer(body: unknown): MatrixAnswer {
  if (!isRecord(body)) throw malformed(`expected a JSON object, got ${typeof body === 'string' ? JSON.stringify(body.slice(0, 80)) : typeof body}`);
  if (body.status !== 'success') throw malformed(`status is ${JSON.stringify(body.status)}`);
  const data = body.data;
  if (!isRecord(data)) throw malformed('no data object');
  if (data.resultType !== 'matrix') throw malformed(`resultType is ${JSON.stringify(data.resultType)}, expected "matrix"`);
  if (!Array.isArray(data.result)) throw malformed('data.result is not an array');
  const series = data.result.map((item: unknown, index): Series => {
    if (!isRecord(item)) throw malformed(`result[${index}] is not an object`);
    if (item.values === undefined && item.histograms !== undefined) {
      throw new BackendError('unsupported_query', 'the query returned native histograms, which are not supported; query classic _bucket series');
    }
    return { labels: parseLabels(item.metric, index), points: parsePoints(item.values, index) };
  });
  const warnings = Array.isArray(body.warnings) ? body.warnings.map(String) : [];
  return { series, warnings };
}
