import { ExpositionError } from './exposition-error.js';
import { IngestLimitError, type IngestLimitName } from './ingest-limits.js';

/** An ingest failure as it crosses from the worker to the daemon's thread (class instances do not survive the trip). */
export type SerializedIngestError =
  | { kind: 'limit'; limit: IngestLimitName; allowed: number; message: string }
  | { kind: 'exposition'; line: number; detail: string }
  | { kind: 'other'; name: string; message: string; code?: string };

export function serializeIngestError(error: unknown): SerializedIngestError {
  if (error instanceof IngestLimitError) return { kind: 'limit', limit: error.limit, allowed: error.allowed, message: error.message };
  if (error instanceof ExpositionError) return { kind: 'exposition', line: error.line, detail: error.detail };
  const { name, message, code } = error instanceof Error ? (error as Error & { code?: unknown }) : { name: 'Error', message: String(error), code: undefined };
  return { kind: 'other', name, message, ...(typeof code === 'string' && { code }) };
}

/** The error the worker threw, as the same class (a SQLite error keeps its `code`, which decides 503 or 400). */
export function deserializeIngestError(error: SerializedIngestError): Error {
  switch (error.kind) {
    case 'limit':
      return IngestLimitError.withMessage(error.limit, error.allowed, error.message);
    case 'exposition':
      return new ExpositionError(error.line, error.detail);
    case 'other':
      return Object.assign(new Error(error.message), { name: error.name }, error.code === undefined ? {} : { code: error.code });
  }
}
