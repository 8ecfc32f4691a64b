import { readdirSync, statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** Where the image expects what the user mounts. */
export const imagePaths = {
  config: '/app/burnrate.yaml',
  slos: '/app/slos',
  database: '/data/burnrate.db',
  listen: '0.0.0.0:9464',
} as const;

export type EntrypointDecision = { argv: string[]; note?: string } | { error: string; exitCode: number };

export interface MountProbe {
  isFile(path: string): boolean;
  /** True when the directory exists and holds at least one entry. */
  hasEntries(path: string): boolean;
}

/** EX_CONFIG (sysexits.h): nothing to run without the user's configuration. */
export const missingMountExit = 78;

export const missingMountMessage = [
  `burnrate: nothing to evaluate: neither ${imagePaths.config} nor ${imagePaths.slos} is mounted.`,
  'Mount your configuration and SLO files, for example:',
  `  docker run -v burnrate-data:/data -v "$PWD/burnrate.yaml:${imagePaths.config}:ro" -v "$PWD/slos:${imagePaths.slos}:ro" \\`,
  '    -v "$PWD/runbooks:/app/runbooks:ro" -e SLACK_TOKEN -p 9464:9464 burnrate',
  `(paths in burnrate.yaml are relative to ${imagePaths.config}, so slos: slos means ${imagePaths.slos}).`,
].join('\n');

/**
 * Pure: what the image runs. Arguments given to `docker run` are a burnrate command line, passed on as they are.
 * Without any, the daemon: with the mounted burnrate.yaml when there is one, else with the defaults over a mounted
 * SLO directory; with neither it refuses (the image ships no SLOs of its own, so a forgotten mount never evaluates
 * someone else's examples).
 */
export function entrypointCommand(args: readonly string[], probe: MountProbe): EntrypointDecision {
  if (args.length > 0) return { argv: [...args] };
  const daemon = ['run', '--db', imagePaths.database, '--listen', imagePaths.listen];
  if (probe.isFile(imagePaths.config)) return { argv: [...daemon, '--config', imagePaths.config] };
  if (probe.hasEntries(imagePaths.slos)) return { argv: daemon, note: `burnrate: no ${imagePaths.config} mounted: running with the defaults over ${imagePaths.slos}` };
  return { error: missingMountMessage, exitCode: missingMountExit };
}

export const fileSystemProbe: MountProbe = {
  isFile: (path) => statSync(path, { throwIfNoEntry: false })?.isFile() ?? false,
  hasEntries: (path) => (readdirSafe(path)?.length ?? 0) > 0,
};

function readdirSafe(path: string): string[] | undefined {
  try {
    return readdirSync(path);
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const decision = entrypointCommand(process.argv.slice(2), fileSystemProbe);
  if ('error' in decision) {
    process.stderr.write(`${decision.error}\n`);
    process.exitCode = decision.exitCode;
    return;
  }
  if (decision.note) process.stderr.write(`${decision.note}\n`);
  const [{ run }, { processIo }, { unexpectedErrorLine }] = await Promise.all([import('../cli/main.js'), import('../cli/process-io.js'), import('../cli/unexpected-error.js')]);
  const fatal = (error: unknown) => {
    process.stderr.write(`burnrate: ${unexpectedErrorLine(error)}\n`);
    process.exit(2);
  };
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
  process.exitCode = await run(decision.argv, processIo());
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
