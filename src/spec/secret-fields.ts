import * as z from 'zod';
import { expecting, show } from './wire-values.js';

/** Secrets are read from the environment, never from a settings file: the fields that name them. */

const envNamePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The name of the environment variable holding a secret (a `…Env` field). */
export const envName = z
  .string({ error: expecting('the name of an environment variable, e.g. SLACK_TOKEN') })
  .regex(envNamePattern, { error: (issue) => `expected the name of an environment variable (letters, digits, _), got ${show(issue.input)}` });

/** A key that must not be there: its secret belongs in the environment, named by `envKey`. */
export function literalSecret(key: string, envKey: string, example: string) {
  return z
    .unknown()
    .superRefine((_value, ctx) => {
      ctx.addIssue({
        code: 'custom',
        message: `a literal ${key} does not belong in the config file: set an environment variable and name it with ${envKey}, e.g. ${envKey}: ${example}`,
        params: { at: 'key' },
      });
    })
    .optional();
}
