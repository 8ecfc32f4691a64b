import { createHmac, timingSafeEqual } from 'node:crypto';

/** Signature scheme of burnrate's webhooks: `X-Burnrate-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>">`. */
export const webhookSignatureHeader = 'X-Burnrate-Signature';
export const webhookTimestampHeader = 'X-Burnrate-Timestamp';
/** How far a receiver should let the timestamp stray from its own clock, either way. Seconds. */
export const defaultWebhookTolerance = 300;

/** `v1=<hex>`: HMAC-SHA256 keyed with the secret, over the timestamp (unix seconds, decimal), a dot, and the raw body. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export type WebhookVerification =
  | { ok: true }
  | { ok: false; reason: 'malformed' | 'expired' | 'mismatch'; message: string };

/**
 * What a receiver does with a burnrate webhook before trusting it: the timestamp must be within `toleranceSeconds`
 * of `now` (unix seconds; refuses replays of an old request), and one of the header's `v1=` signatures (a comma
 * separated list, so a secret can be rotated) must equal the HMAC of `"<timestamp>.<body>"`, compared in constant
 * time. `body` is the raw request body exactly as received, before any JSON parsing.
 */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string | undefined,
  body: string | Buffer,
  header: string | undefined,
  now: number,
  toleranceSeconds: number = defaultWebhookTolerance,
): WebhookVerification {
  if (timestamp === undefined || !/^\d{1,12}$/.test(timestamp.trim())) return { ok: false, reason: 'malformed', message: `missing or malformed ${webhookTimestampHeader}` };
  const signatures = (header ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('v1='))
    .map((part) => part.slice(3));
  if (signatures.length === 0) return { ok: false, reason: 'malformed', message: `missing or malformed ${webhookSignatureHeader} (expected v1=<hex>)` };
  const raw = timestamp.trim();
  const at = Number(raw);
  if (Math.abs(now - at) > toleranceSeconds) return { ok: false, reason: 'expired', message: `timestamp ${at} is more than ${toleranceSeconds}s from now (${Math.floor(now)})` };
  const expected = createHmac('sha256', secret).update(`${raw}.`).update(body).digest();
  const matches = signatures.some((hex) => {
    if (!/^[0-9a-f]{64}$/i.test(hex)) return false;
    return timingSafeEqual(Buffer.from(hex, 'hex'), expected);
  });
  return matches ? { ok: true } : { ok: false, reason: 'mismatch', message: 'no signature matches the body and timestamp' };
}
