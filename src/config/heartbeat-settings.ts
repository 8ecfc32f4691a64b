import * as z from 'zod';
import { parseDuration } from '../core/duration.js';
import { envName, literalSecret } from '../spec/secret-fields.js';
import { duration, expecting } from '../spec/wire-values.js';

/**
 * The `heartbeat` key of burnrate.yaml's top level (spread into the config schema's shape): a URL of a heartbeat
 * service (healthchecks.io, Dead Man's Snitch, Cronitor, …) pinged after every successful evaluation cycle, so
 * that a daemon that stopped evaluating is noticed by something outside it. The URL identifies the check and
 * lets anyone ping it: a secret, read from the environment.
 */
export const heartbeatSchema = {
  heartbeat: z
    .strictObject(
      {
        urlEnv: envName,
        timeout: duration({ min: 1, max: 60 }).optional(),
        url: literalSecret('url', 'urlEnv', 'BURNRATE_HEARTBEAT_URL'),
      },
      { error: expecting('a mapping with urlEnv and timeout') },
    )
    .optional(),
};

export type HeartbeatWire = z.infer<typeof heartbeatSchema.heartbeat>;

export interface HeartbeatSettings {
  url: string;
  timeoutSeconds: number;
}

export const defaultHeartbeatTimeout = 10;

/** Whether the variable's value can be pinged: an http(s) URL. */
export function isHeartbeatUrl(value: string | undefined): boolean {
  if (value === undefined) return false;
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** The settings with the URL read from `env`; undefined without the key. (The variable was checked when the file was parsed.) */
export function toHeartbeatSettings(wire: HeartbeatWire, env: Readonly<Record<string, string | undefined>> | undefined): HeartbeatSettings | undefined {
  if (wire === undefined) return undefined;
  return { url: env?.[wire.urlEnv] ?? '', timeoutSeconds: wire.timeout === undefined ? defaultHeartbeatTimeout : (parseDuration(wire.timeout) ?? defaultHeartbeatTimeout) };
}
