import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { readConfig, type CommonOptions } from '../context.js';
import { CliError, exitCodes, type CliIo } from '../io.js';
import { openEngine } from '../open-engine.js';
import { describeRejections } from '../../backends/embedded/ingest-rules.js';

interface IngestOptions extends CommonOptions {
  format?: 'prometheus' | 'openmetrics';
}

export function registerIngest(program: Command, io: CliIo, setExit: (code: number) => void, now: () => number): void {
  program
    .command('ingest')
    .description('load samples (Prometheus text or OpenMetrics) into the embedded store')
    .argument('<file>', 'a file, or - for standard input')
    .option('--format <format>', 'prometheus or openmetrics (default: OpenMetrics when the input ends with # EOF)')
    .action(async (file: string, _options: unknown, command: Command) => {
      const options = command.optsWithGlobals<IngestOptions>();
      if (options.format !== undefined && options.format !== 'prometheus' && options.format !== 'openmetrics') {
        throw new CliError(`--format: expected prometheus or openmetrics, got "${options.format}"`, exitCodes.usage);
      }
      const config = readConfig(options, io);
      if (config.backend.kind !== 'embedded') throw new CliError('ingest feeds the embedded store; the configured backend is Prometheus', exitCodes.usage);
      const source = file === '-' ? 'standard input' : file;
      const text = await readInput(file, io).catch((error: unknown) => {
        throw new CliError(`cannot read ${source}: ${error instanceof Error ? error.message : String(error)}`, exitCodes.invalid);
      });
      const engine = openEngine(config, 'create');
      try {
        const at = now();
        const result = engine.embedded!.ingest(text, { ...(options.format !== undefined && { format: options.format }), defaultTimestamp: at, now: at, inBatches: true });
        io.stdout.write(`ingested ${result.samples} samples of ${result.series} series into ${config.database}\n`);
        if (result.rejected.total > 0) io.stderr.write(`burnrate: warning: ${source}: ${describeRejections(result.rejected)}\n`);
        // An empty pipe is usually an upstream failure (`curl … | burnrate ingest -` without pipefail).
        if (result.samples === 0) io.stderr.write(`burnrate: warning: ${source} held no samples\n`);
        setExit(exitCodes.ok);
      } catch (error) {
        throw new CliError(`${source}: ${error instanceof Error ? error.message : String(error)}`, exitCodes.invalid);
      } finally {
        await engine.close();
      }
    });
}

/** The samples named by the argument: a file, or all of standard input for `-`. */
async function readInput(file: string, io: CliIo): Promise<string> {
  if (file !== '-') return readFileSync(file, 'utf8');
  if (io.stdin === undefined) throw new Error('standard input is not available to this command');
  return io.stdin();
}
