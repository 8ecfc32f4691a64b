/** What a command may touch of the outside world: tests pass buffers, the binary passes the process's streams. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: Readonly<Record<string, string | undefined>>;
  /**
   * Reads all of standard input (for `ingest -`). The binary wires the process's stdin (see `processIo`); without
   * it, a command given `-` fails rather than reading nothing.
   */
  stdin?: () => Promise<string>;
}

/**
 * Exit codes, documented in the README:
 * 0 success; 1 invalid input (SLO files, config, samples); 2 could not evaluate (backend or database
 * unavailable); 64 usage error.
 */
export const exitCodes = { ok: 0, invalid: 1, unavailable: 2, usage: 64 } as const;

/** A failure with the exit code it maps to. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
