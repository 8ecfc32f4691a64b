import type { Command } from 'commander';
import { formatDiagnostic } from '../../spec/diagnostic.js';
import { loadSlos } from '../../slo/load.js';
import { readConfig, type CommonOptions } from '../context.js';
import { exitCodes, type CliIo } from '../io.js';

export function registerValidate(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('validate')
    .description('check SLO files: schema, PromQL syntax, windows, runbooks; every problem as file:line:col field: message')
    .argument('[paths...]', 'SLO files or directories (default: the configured slos directory)')
    .action((paths: string[], _options: unknown, command: Command) => {
      // Files are checked here, not the environment: the secrets' variables are named, not required.
      const config = readConfig(command.optsWithGlobals<CommonOptions>(), io, { secrets: 'defer' });
      const targets = paths.length > 0 ? paths : config.slos;
      const { slos, diagnostics } = loadSlos(targets, { runbookDir: config.runbooks });
      for (const diagnostic of diagnostics) io.stdout.write(`${formatDiagnostic(diagnostic)}\n`);
      const errors = diagnostics.filter((d) => d.severity === 'error').length;
      const warnings = diagnostics.length - errors;
      io.stdout.write(`${slos.length} valid SLO${slos.length === 1 ? '' : 's'}, ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`);
      if (config.secrets.length > 0) {
        io.stdout.write(`note: the daemon needs ${config.secrets.map((s) => `${s.variable} (${s.field})`).join(', ')}\n`);
      }
      setExit(errors > 0 ? exitCodes.invalid : exitCodes.ok);
    });
}
