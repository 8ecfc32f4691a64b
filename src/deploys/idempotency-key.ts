import { createHash } from 'node:crypto';

/** How long a key answers with its deploy (Stripe keeps keys 24 hours); after that it is a new request. */
export const idempotencyKeyRetention = 86_400;
const maxKeyLength = 255;

/** A client's `Idempotency-Key` with the fingerprint of the body it came with. */
export interface IdempotencyClaim {
  key: string;
  fingerprint: string;
}

export type IdempotencyKeyResult = { ok: true; key: string | undefined } | { ok: false; message: string };

/** The `Idempotency-Key` header: absent, or 1 to 255 visible ASCII characters, sent once. */
export function parseIdempotencyKey(header: string | string[] | undefined): IdempotencyKeyResult {
  if (header === undefined) return { ok: true, key: undefined };
  if (Array.isArray(header)) return { ok: false, message: `expected one Idempotency-Key header, got ${header.length}` };
  if (!/^[\x21-\x7e]+$/.test(header) || header.length > maxKeyLength) {
    return { ok: false, message: `expected an Idempotency-Key of 1 to ${maxKeyLength} visible ASCII characters (a UUID, say), got ${JSON.stringify(header.slice(0, 40))}` };
  }
  return { ok: true, key: header };
}

/** Same JSON value with keys sorted, so `{"a":1,"b":2}` and `{"b":2,"a":1}` are one body. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, canonical(v)]));
  }
  return value;
}

/** The fingerprint of a request body as sent (before defaults such as the finish time are filled in). */
export function bodyFingerprint(body: unknown): string {
  return createHash('sha256').update(JSON.stringify(canonical(body)) ?? 'undefined').digest('hex');
}

/** An `Idempotency-Key` used before with a different body: the client reused a key for another request. */
export class IdempotencyKeyReused extends Error {
  constructor(
    readonly key: string,
    readonly deployId: string,
  ) {
    super(`Idempotency-Key ${JSON.stringify(key)} was used for another request body (deploy ${deployId}); send a new key for a new deploy`);
    this.name = 'IdempotencyKeyReused';
  }
}
