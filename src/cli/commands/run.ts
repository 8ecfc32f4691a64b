import type { Command } from 'commander';
import { systemClock } from '../../core/clock.js';
import { createApp } from '../../daemon/app.js';
import { createLogger } from '../../log.js';
import { readConfig, readSlos, type CommonOptions } from '../context.js';
import { exitCodes, type CliIo } from '../io.js';

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
      const config = readConfig(options, io);
      const slos = readSlos(config, io);
      const log = createLogger(config.logLevel, io.stderr as NodeJS.WritableStream);
      const listen = options.listen === undefined ? undefined : parseListen(options.listen);
      const app = createApp(config, slos, { clock: systemClock, log, ...(listen && { listen }) });
      const stopped = new Promise<void>((resolve) => {
        const shutdown = (signal: string) => {
          log.info({ signal }, 'stopping: finishing the running cycle');
          void app.stop().then(resolve);
        };
        process.once('SIGTERM', () => shutdown('SIGTERM'));
        process.once('SIGINT', () => shutdown('SIGINT'));
      });
      log.info({ slos: slos.length, backend: config.backend.kind, database: config.database, schedule: config.evaluation.schedule }, 'starting');
      await app.start();
      await stopped;
      log.info('stopped');
      setExit(exitCodes.ok);
    });
}

function parseListen(text: string): { host: string; port: number } {
  const index = text.lastIndexOf(':');
  return { host: text.slice(0, index) || '127.0.0.1', port: Number(text.slice(index + 1)) };
}
