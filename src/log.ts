import pino, { type Logger } from 'pino';

export type { Logger };

/** JSON logs on stderr (stdout is for command output); one child logger per component. */
export function createLogger(level: string, destination: NodeJS.WritableStream = process.stderr): Logger {
  return pino({ level, base: { app: 'burnrate' }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}

/** A logger that drops everything, for commands and tests that do not want logs. */
export const silentLogger: Logger = pino({ level: 'silent' });
