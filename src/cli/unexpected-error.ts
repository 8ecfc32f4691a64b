import { describeFsError } from '../util/read-text-file.js';

/**
 * One line for an error no command anticipated: its message (and the file it concerns, for a system error),
 * never a stack trace; `BURNRATE_DEBUG=1` adds the stack.
 */
export function unexpectedErrorLine(error: unknown): string {
  if (!(error instanceof Error)) return String(error).split('\n')[0] ?? '';
  const system = error as NodeJS.ErrnoException;
  if (typeof system.code === 'string' && typeof system.path === 'string') return `${system.path}: ${describeFsError(error)}`;
  const first = error.message.split('\n')[0] ?? '';
  return `${first === '' ? error.name : first} (set BURNRATE_DEBUG=1 for the stack trace)`;
}
