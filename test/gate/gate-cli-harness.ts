import { Command, CommanderError } from 'commander';
import { registerGate } from '../../src/cli/commands/gate.js';
import { CliError, exitCodes } from '../../src/cli/io.js';
import { loadSlos } from '../../src/slo/load.js';
import type { Slo } from '../../src/slo/model.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The gate commands on a program shaped like main.ts's, run in-process with captured output. */
export async function gateCli(argv: string[], now: number, env: Record<string, string> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  let code: number = exitCodes.ok;
  const io = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env };
  const program = new Command('burnrate')
    .option('--config <file>')
    .option('--slos <dir>')
    .option('--db <file>')
    .exitOverride()
    .configureOutput({ writeOut: (t) => (stdout += t), writeErr: (t) => (stderr += t) });
  registerGate(program, io, (c) => (code = c), () => now);
  const every = (command: Command): Command[] => [command, ...command.commands.flatMap(every)];
  for (const command of every(program).slice(1)) command.exitOverride();
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CliError) {
      stderr += `burnrate: ${error.message}\n`;
      code = error.exitCode;
    } else if (error instanceof CommanderError) code = exitCodes.usage;
    else throw error;
  }
  return { code, stdout, stderr };
}

/** The project's SLOs as the CLI loads them. */
export function projectSlos(slos: string, runbooks: string): Map<string, Slo> {
  const loaded = loadSlos([slos], { runbookDir: runbooks });
  return new Map(loaded.slos.map((slo) => [slo.name, slo]));
}
