import { spawn, type ChildProcess } from 'node:child_process';

/** One run of the built daemon, `node bin/burnrate.js run`, as a user starts it. */
export interface DaemonRun {
  child: ChildProcess;
  /** Resolves when the process has gone, with how it ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once the HTTP port is open: the delivery loop's first beat follows at once. */
  listening: Promise<void>;
  /** Its stderr (pino's JSON lines) so far. */
  logs(): string;
}

export function startDaemon(args: { config: string; db: string; slos: string; env: Record<string, string> }): DaemonRun {
  const child = spawn(process.execPath, ['bin/burnrate.js', 'run', '--config', args.config, '--db', args.db, '--slos', args.slos, '--listen', '127.0.0.1:0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...args.env },
  });
  let logs = '';
  let onListening: () => void = () => undefined;
  const listening = new Promise<void>((resolve) => (onListening = resolve));
  child.stderr!.on('data', (chunk: Buffer) => {
    logs += chunk.toString();
    if (logs.includes('"msg":"HTTP API listening"')) onListening();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, exited, listening, logs: () => logs };
}

/** Log lines of a run whose `msg` is `message`; a line cut short by a kill is skipped. */
export function logLines(logs: string, message: string): Array<Record<string, unknown>> {
  return logs.split('\n').flatMap((line) => {
    try {
      const entry = JSON.parse(line) as unknown;
      return entry !== null && typeof entry === 'object' && (entry as Record<string, unknown>)['msg'] === message ? [entry as Record<string, unknown>] : [];
    } catch {
      return [];
    }
  });
}
