import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants, readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { stringify } from 'yaml';

export interface PrometheusOptions {
  /** OpenMetrics text with timestamps, backfilled with promtool before the server starts. */
  openMetricsFile?: string;
  ruleFiles?: string[];
  /** Global rule evaluation interval, e.g. `15s` (Prometheus's default is 1m). */
  evaluationInterval?: string;
  /** Scrape the server's own metrics every 2s (rule-group durations, evaluation counts). */
  scrapeSelf?: boolean;
}

export interface PrometheusServer {
  url: string;
  dataDir: string;
  /** Milliseconds promtool took to backfill `openMetricsFile` (0 without one). */
  backfillMillis: number;
  /** Recent stderr of the server, for failure messages. */
  logTail(): string;
  stop(): Promise<void>;
}

const readyDeadlineMillis = 60_000;
const stopDeadlineMillis = 10_000;
const portAttempts = 5;
const logLimit = 16_384;
// Backfilled blocks spanning 31 days: promtool re-reads the whole input once per block, so the default 2h blocks
// take ~110 s for a 32-day scenario where 31-day blocks take ~2 s.
const maxBlockDuration = '744h';

const running = new Set<{ child: ChildProcess; dir: string }>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const { child, dir } of running) {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

const dirPrefix = 'burnrate-prometheus-';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes directories left by test processes that were killed before they could clean up. */
function removeStaleDirs(): void {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(dirPrefix)) continue;
    const dir = join(tmpdir(), name);
    try {
      const owner = Number(readFileSync(join(dir, 'owner.pid'), 'utf8'));
      if (owner > 0 && !alive(owner)) rmSync(dir, { recursive: true, force: true });
    } catch {
      // not ours, or being created right now
    }
  }
}

function findExecutable(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

function requireExecutable(name: 'prometheus' | 'promtool'): string {
  const found = findExecutable(name);
  if (!found) throw new Error(`'${name}' not found on PATH: install Prometheus 2.42+ (apt-get install prometheus)`);
  return found;
}

function tail(text: string, lines = 30): string {
  return text.split('\n').slice(-lines).join('\n');
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', ok);
  });
  const address = server.address();
  await new Promise<void>((ok) => server.close(() => ok()));
  if (address === null || typeof address === 'string') throw new Error('could not read a free port');
  return address.port;
}

function backfill(promtool: string, file: string, dataDir: string): number {
  const started = performance.now();
  const result = spawnSync(promtool, ['tsdb', 'create-blocks-from', 'openmetrics', `--max-block-duration=${maxBlockDuration}`, resolve(file), dataDir], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`promtool backfill of ${file} failed (exit ${result.status}):\n${tail(result.stderr || result.stdout)}`);
  return performance.now() - started;
}

function configYaml(options: PrometheusOptions, port: number): string {
  const config: Record<string, unknown> = { global: { evaluation_interval: options.evaluationInterval ?? '1m' } };
  if (options.ruleFiles?.length) config.rule_files = options.ruleFiles.map((file) => resolve(file));
  config.scrape_configs = options.scrapeSelf
    ? [{ job_name: 'prometheus', scrape_interval: '2s', static_configs: [{ targets: [`127.0.0.1:${port}`] }] }]
    : [];
  return stringify(config);
}

/** Spawns Prometheus; with `setpriv --pdeathsig` it dies with this process even if we are killed without cleanup. */
function spawnPrometheus(binary: string, args: string[]): ChildProcess {
  const setpriv = findExecutable('setpriv');
  const [command, argv] = setpriv ? [setpriv, ['--pdeathsig', 'KILL', binary, ...args]] : [binary, args];
  return spawn(command, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
}

type Outcome = { ready: true } | { ready: false; exited: boolean; reason: string };

async function waitReady(url: string, child: ChildProcess, exited: Promise<void>): Promise<Outcome> {
  const deadline = Date.now() + readyDeadlineMillis;
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  while (Date.now() < deadline) {
    if (gone || child.exitCode !== null) return { ready: false, exited: true, reason: `exited with code ${child.exitCode}` };
    try {
      const response = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return { ready: true };
    } catch {
      // not listening yet
    }
    await Promise.race([new Promise((ok) => setTimeout(ok, 100)), exited]);
  }
  return { ready: false, exited: false, reason: `not ready after ${readyDeadlineMillis / 1000}s` };
}

/**
 * Starts a real Prometheus on a free loopback port with its own data directory (optionally backfilled), and
 * returns once `/-/ready` answers. Throws, never skips, when Prometheus is missing or does not come up.
 */
export async function startPrometheus(options: PrometheusOptions = {}): Promise<PrometheusServer> {
  const prometheus = requireExecutable('prometheus');
  removeStaleDirs();
  const dir = await mkdtemp(join(tmpdir(), dirPrefix));
  await writeFile(join(dir, 'owner.pid'), String(process.pid));
  const dataDir = join(dir, 'data');
  await mkdir(dataDir);
  installExitHook();
  try {
    const backfillMillis = options.openMetricsFile ? backfill(requireExecutable('promtool'), options.openMetricsFile, dataDir) : 0;
    for (let attempt = 1; ; attempt += 1) {
      const port = await freePort();
      const configFile = join(dir, 'prometheus.yml');
      await writeFile(configFile, configYaml(options, port));
      const child = spawnPrometheus(prometheus, [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${dataDir}`,
        '--storage.tsdb.retention.time=100y',
        `--web.listen-address=127.0.0.1:${port}`,
      ]);
      const entry = { child, dir };
      running.add(entry);
      let log = '';
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
        log = (log + chunk).slice(-logLimit);
      });
      const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
      const spawnFailed = new Promise<Error>((ok) => child.once('error', ok));
      const url = `http://127.0.0.1:${port}`;
      const outcome = await Promise.race([waitReady(url, child, exited), spawnFailed.then((error): Outcome => ({ ready: false, exited: true, reason: error.message }))]);
      if (outcome.ready) return handle(url, dataDir, dir, entry, () => log, backfillMillis);
      await kill(child, exited);
      running.delete(entry);
      if (outcome.exited && /address already in use/.test(log) && attempt < portAttempts) continue;
      throw new Error(`Prometheus did not start on ${url}: ${outcome.reason}\n--- stderr (tail) ---\n${tail(log)}`);
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

async function kill(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), stopDeadlineMillis);
  await exited;
  clearTimeout(timer);
}

function handle(
  url: string,
  dataDir: string,
  dir: string,
  entry: { child: ChildProcess; dir: string },
  logTail: () => string,
  backfillMillis: number,
): PrometheusServer {
  const exited = new Promise<void>((ok) => {
    if (entry.child.exitCode !== null || entry.child.signalCode !== null) ok();
    else entry.child.once('exit', () => ok());
  });
  let stopping: Promise<void> | undefined;
  return {
    url,
    dataDir,
    backfillMillis,
    logTail,
    stop() {
      stopping ??= (async () => {
        await kill(entry.child, exited);
        running.delete(entry);
        rmSync(dir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}
