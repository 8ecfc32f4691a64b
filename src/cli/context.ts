import { loadConfig, ConfigError, type LoadConfigOptions, type SecretReference } from '../config/load-config.js';
import type { Config } from '../config/config.js';
import { formatDiagnostic } from '../spec/diagnostic.js';
import { loadSlos } from '../slo/load.js';
import type { Slo } from '../slo/model.js';
import { CliError, exitCodes, type CliIo } from './io.js';

/** Flags shared by every command that reads SLOs. */
export interface CommonOptions {
  config?: string;
  slos?: string;
  prometheus?: string;
  db?: string;
}

/**
 * Reads the settings named by the flags. With `secrets: 'defer'` (validate), the secrets' environment variables
 * need not be set; `secrets` in the result names them.
 */
export function readConfig(options: CommonOptions, io?: CliIo, loadOptions: LoadConfigOptions = {}): Config & { secrets: SecretReference[] } {
  try {
    const config = loadConfig(
      options.config ?? 'burnrate.yaml',
      options.config !== undefined,
      {
        ...(options.slos !== undefined && { slos: options.slos }),
        ...(options.prometheus !== undefined && { prometheus: options.prometheus }),
        ...(options.db !== undefined && { db: options.db }),
      },
      process.cwd(),
      io?.env ?? process.env,
      loadOptions,
    );
    for (const warning of config.warnings) io?.stderr.write(`${warning}\n`);
    return config;
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message, exitCodes.invalid);
    throw error;
  }
}

/** Loads and validates the SLOs; warnings go to stderr, errors stop the command. */
export function readSlos(config: Config, io: CliIo): Slo[] {
  const { slos, diagnostics } = loadSlos(config.slos, { runbookDir: config.runbooks });
  for (const d of diagnostics.filter((x) => x.severity === 'warning')) io.stderr.write(`${formatDiagnostic(d)}\n`);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new CliError(errors.map(formatDiagnostic).join('\n'), exitCodes.invalid);
  if (slos.length === 0) throw new CliError(`no SLOs found in ${config.slos.join(', ')}`, exitCodes.invalid);
  return slos;
}
