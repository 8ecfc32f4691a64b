import type { Command } from 'commander';
import { systemClock } from '../../core/clock.js';
import { parseListenAddress, type ListenAddress } from '../../config/listen-address.js';
import type { Config } from '../../config/config.js';
import { createApp, type App } from '../../daemon/app.js';
import { DaemonStartError } from '../../daemon/open-daemon-database.js';
import { createLogger } from '../../log.js';
import { readConfig, readSlos, type CommonOptions } from '../context.js';
import { CliError, exitCodes, type CliIo } from '../io.js';
import { explainListenError } from '../listen-error.js';
import { loadConfig } from '../../config/load-config.js';
import { loadSettingsAgain, type SettingsLoader } from '../../daemon/reload.js';

interface RunOptions extends CommonOptions {
  listen?: string;
}

/** The daemon: evaluates on schedule until SIGTERM/SIGINT, then finishes the cycle and closes cleanly. */
export function registerRun(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('run')
    .description('run the daemon: evaluate every SLO on the configured schedule, serve the HTTP API')
    .option('--listen <host:port>', 'HTTP address (default: server.listen from the config, 127.0.0.1:9464)')
    .action(async (_options: unknown, command: Command) => {
      const options = command.optsWithGlobals<RunOptions>();
      const listen = options.listen === undefined ? undefined : listenFlag(options.listen);
      const config = readConfig(options, io);
      const slos = readSlos(config, io);
      const log = createLogger(config.logLevel, io.stderr as NodeJS.WritableStream);
      const loadSettings = settingsLoader(options, io);
      const app = openApp(() => createApp(config, slos, { clock: systemClock, log, loadSettings, ...(listen && { listen }) }));
      let shutdown: (signal: string) => void = () => undefined;
      const stopped = new Promise<void>((resolve) => {
        shutdown = (signal: string) => {
          log.info({ signal }, 'stopping: finishing the running cycle');
          void app.stop().then(resolve);
        };
      });
      const onSigterm = () => shutdown('SIGTERM');
      const onSigint = () => shutdown('SIGINT');
      process.once('SIGTERM', onSigterm);
      process.once('SIGINT', onSigint);
      // SIGHUP reloads SLOs, runbooks and routing; the reload logs its outcome (and every error).
      const onSighup = () => void app.reload();
      process.on('SIGHUP', onSighup);
      void stopped.then(() => process.off('SIGHUP', onSighup));
      log.info({ slos: slos.length, backend: config.backend.kind, database: config.database, schedule: config.evaluation.schedule }, 'starting');
      try {
        await app.start();
      } catch (error) {
        process.off('SIGTERM', onSigterm);
        process.off('SIGINT', onSigint);
        process.off('SIGHUP', onSighup);
        await app.stop().catch(() => undefined);
        const address = listen ?? config.server;
        const why = explainListenError(error);
        if (why === undefined) throw error;
        throw new CliError(`cannot listen on ${formatAddress(address)} (${listenSource(options, config)}): ${why}`, exitCodes.unavailable);
      }
      await stopped;
      log.info('stopped');
      setExit(exitCodes.ok);
    });
}

/** A reload reads the settings as start-up did: the same file, flags and environment. */
function settingsLoader(options: RunOptions, io: CliIo): SettingsLoader {
  const overrides = {
    ...(options.slos !== undefined && { slos: options.slos }),
    ...(options.prometheus !== undefined && { prometheus: options.prometheus }),
    ...(options.db !== undefined && { db: options.db }),
  };
  const cwd = process.cwd();
  return () => loadSettingsAgain(() => loadConfig(options.config ?? 'burnrate.yaml', options.config !== undefined, overrides, cwd, io.env));
}

function listenFlag(text: string): ListenAddress {
  const parsed = parseListenAddress(text);
  if ('problem' in parsed) throw new CliError(`--listen: ${parsed.problem}`, exitCodes.usage);
  return parsed;
}

function openApp(create: () => App): App {
  try {
    return create();
  } catch (error) {
    if (error instanceof DaemonStartError) throw new CliError(error.message, exitCodes.unavailable);
    throw error;
  }
}

function listenSource(options: RunOptions, config: Config): string {
  if (options.listen !== undefined) return '--listen';
  return config.file === undefined ? 'the default server.listen' : `server.listen in ${config.file}`;
}

function formatAddress({ host, port }: ListenAddress): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
