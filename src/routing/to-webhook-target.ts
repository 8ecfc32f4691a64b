import { durationSeconds } from '../spec/wire-values.js';
import type { WebhookTarget } from './routing-model.js';
import type { Env } from './routing-rules.js';
import type { ReceiverWire } from './routing-schema.js';

/** A receiver's `webhook` with its secret and secret headers read from `env` (empty when unset). */
export function toWebhookTarget(wire: NonNullable<ReceiverWire['webhook']>, env: Env): WebhookTarget {
  const fromEnv = Object.entries(wire.headersEnv ?? {}).map(([name, variable]) => [name, env[variable] ?? ''] as const);
  return {
    url: wire.url,
    secret: env[wire.secretEnv] ?? '',
    headers: { ...wire.headers, ...Object.fromEntries(fromEnv) },
    timeout: wire.timeout === undefined ? undefined : durationSeconds(wire.timeout),
    maxAttempts: wire.maxAttempts,
  };
}
