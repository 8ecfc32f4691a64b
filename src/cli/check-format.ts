import { CliError, exitCodes } from './io.js';

/** A `--format` value must be one of `allowed`; anything else is a usage error naming them. */
export function checkFormat(format: string | undefined, allowed: readonly string[] = ['table', 'json']): void {
  if (format === undefined || !allowed.includes(format)) {
    throw new CliError(`--format: expected ${allowed.join(' or ')}, got "${String(format)}"`, exitCodes.usage);
  }
}
