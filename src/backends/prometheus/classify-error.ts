import { BackendError } from '../backend.js';

const timeoutCodes = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);

/** The parts of an HTTP client failure the classification needs (axios's error shape). */
export interface TransportFailure {
  code?: string | undefined;
  message: string;
  response?: { status: number; statusText?: string; data?: unknown } | undefined;
}

function prometheusError(data: unknown): { errorType?: string; error?: string } {
  if (typeof data !== 'object' || data === null) return {};
  const record = data as Record<string, unknown>;
  const result: { errorType?: string; error?: string } = {};
  if (typeof record.errorType === 'string') result.errorType = record.errorType;
  if (typeof record.error === 'string') result.error = record.error;
  return result;
}

/** Maps a failed request to a BackendError, using Prometheus's `errorType` where the server sent one. */
export function classifyFailure(failure: TransportFailure, target: string, deadlineExpired: boolean, timeoutSeconds: number): BackendError {
  const options = { cause: failure };
  if (deadlineExpired || (failure.code !== undefined && timeoutCodes.has(failure.code))) {
    return new BackendError('timeout', `no answer from ${target} within ${timeoutSeconds}s`, options);
  }
  const response = failure.response;
  if (!response) {
    return new BackendError('unreachable', `cannot reach ${target}: ${failure.code ?? failure.message}`, options);
  }
  const { errorType, error } = prometheusError(response.data);
  const detail = error ?? response.statusText ?? '';
  const status = response.status;
  if (errorType === 'bad_data' || (status === 422 && errorType === 'execution')) {
    return new BackendError('bad_query', `${target} rejected the query (${errorType}): ${detail}`, options);
  }
  if (errorType === 'timeout') return new BackendError('timeout', `${target} timed out evaluating the query: ${detail}`, options);
  if (status >= 500 || status === 429) return new BackendError('server_error', `${target} answered HTTP ${status}: ${detail}`, options);
  if (status === 400) return new BackendError('bad_query', `${target} answered HTTP 400: ${detail}`, options);
  return new BackendError('bad_response', `${target} answered HTTP ${status}${detail ? `: ${detail}` : ''} (is the URL a Prometheus API root?)`, options);
}
