import { run } from '../../src/cli/main.js';
import { ManualClock } from '../../src/core/clock.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output (and a fixed clock when given). */
export async function runCli(argv: string[], options: { now?: number; stdin?: string } = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await run(
    argv,
    {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      env: {},
      ...(options.stdin !== undefined && { stdin: () => Promise.resolve(options.stdin!) }),
    },
    options.now === undefined ? undefined : new ManualClock(options.now),
  );
  return { code, stdout, stderr };
}
