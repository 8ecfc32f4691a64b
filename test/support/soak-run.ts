import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BackendError, type MetricBackend } from '../../src/backends/backend.js';
import { loadConfig } from '../../src/config/load-config.js';
import { ManualClock } from '../../src/core/clock.js';
import { createApp } from '../../src/daemon/app.js';
import { silentLogger } from '../../src/log.js';
import { testSlo } from './slo-fixture.js';

/**
 * The daemon under mixed traffic on a fake clock driven at a compressed schedule: one cycle every 5 simulated
 * minutes, paced one per slot of wall time. Each slot brings a push of 10,000 series (the per-push series limit)
 * and one of 100,000 samples (the per-push sample limit), a silence created and one expired, while another
 * process reads /healthz and the gate at a steady rate; the metric backend is down one slot in three. Retention
 * keeps an hour of samples and gate decisions. Used by the suite (a short run) and `npm run bench -- --only soak`
 * (the full length, against the targets).
 */
export interface SoakOptions {
  cycles: number;
  slotMs: number;
  /** Where the child scripts are (the bench runs compiled code elsewhere). */
  supportDir?: string;
}

export const soakStep = 300;
/** The embedded store's retention in the soak (backend.embedded.retention). */
const soakRetentionSeconds = 3600;
export const soakStart = Date.parse('2026-11-02T00:00:00Z') / 1000;
const seriesPerPush = 10_000;
const batchSeries = 100;
const samplesPerBatchSeries = 1000;
const token = 'soak-write-token-0123456789abcdef';
const auth = { authorization: `Bearer ${token}` };

/** Down for one slot in three (slots 2, 5, 8, …), up otherwise. */
export const backendDown = (slot: number): boolean => slot % 3 === 2;

/** What the prober saw of one target. */
export interface ProbeResult {
  latencies: number[];
  statuses: Record<string, number>;
  /** The first body of each status of 500 and up. */
  errorBodies: Record<string, string>;
}

export interface SoakCycle {
  slot: number;
  /** The evaluation time of the cycle, undefined if it produced none. */
  at: number | undefined;
  /** SLOs in backend_error after the cycle. */
  errors: number;
  /** Their errors, where the backend was not down on purpose. */
  messages: string[];
}

export interface SoakFigures {
  options: SoakOptions;
  wallSeconds: number;
  cycles: SoakCycle[];
  cycleMs: number[];
  /** How late each slot's cycle started against its planned start, in ms. */
  lateness: number[];
  healthz: ProbeResult;
  gate: ProbeResult;
  pushStatuses: number[];
  silenceStatuses: number[];
  rss: number[];
  /** Database file + WAL at each whole simulated hour. */
  hourly: Array<{ hour: number; bytes: number }>;
}

/** The evaluation each cycle must have: its own step. */
export const expectedAt = (slot: number): number => soakStart + (slot + 1) * soakStep;

function flapping(backend: MetricBackend, isDown: () => boolean): MetricBackend {
  const refused = (): BackendError => new BackendError('unreachable', 'connection refused (the soak takes the backend down)');
  return {
    kind: backend.kind,
    queryRange: (query, signal) => (isDown() ? Promise.reject(refused()) : backend.queryRange(query, signal)),
    ...(backend.rawSamples && { rawSamples: (query, signal) => (isDown() ? Promise.reject(refused()) : backend.rawSamples!(query, signal)) }),
    close: () => backend.close(),
  };
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

async function startChild(script: string, args: readonly string[]): Promise<ChildProcess> {
  const child = fork(script, args, {
    env: { ...process.env, BURNRATE_PROBER_AUTH: auth.authorization },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`${script} exited (${code})`)));
  });
  return child;
}

async function stopProber(child: ChildProcess): Promise<Pick<SoakFigures, 'healthz' | 'gate'>> {
  return new Promise((resolve) => {
    child.once('message', (results) => resolve(results as Pick<SoakFigures, 'healthz' | 'gate'>));
    child.send('stop');
  });
}

export async function runSoak(options: SoakOptions): Promise<SoakFigures> {
  const { cycles, slotMs } = options;
  const supportDir = options.supportDir ?? fileURLToPath(new URL('.', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'burnrate-soak-'));
  const db = join(dir, 'burnrate.db');
  writeFileSync(
    join(dir, 'burnrate.yaml'),
    [
      // The schedule never fires on its own: the soak drives every cycle, at the pace of the compressed schedule.
      'evaluation: {schedule: "0 0 1 1 *", bucket: 5m}',
      `backend: {embedded: {retention: ${soakRetentionSeconds / 3600}h}}`,
      'history: {gateLog: 1h}',
      'api:',
      '  tokens:',
      '    - {name: soak, tokenEnv: BURNRATE_SOAK_TOKEN, scopes: [read, write]}',
    ].join('\n'),
  );
  const config = loadConfig(join(dir, 'burnrate.yaml'), true, { db }, dir, { BURNRATE_SOAK_TOKEN: token });
  const clock = new ManualClock(soakStart);
  let slot = -1;
  const app = createApp(config, [testSlo()], {
    clock,
    log: silentLogger,
    listen: { host: '127.0.0.1', port: 0 },
    wrapBackend: (backend) => flapping(backend, () => slot >= 0 && backendDown(slot)),
  });
  const figures: SoakFigures = {
    options,
    wallSeconds: 0,
    cycles: [],
    cycleMs: [],
    lateness: [],
    healthz: { latencies: [], statuses: {}, errorBodies: {} },
    gate: { latencies: [], statuses: {}, errorBodies: {} },
    pushStatuses: [],
    silenceStatuses: [],
    rss: [],
    hourly: [],
  };
  await app.start();
  const base = app.address()!;
  const prober = await startChild(join(supportDir, 'http-prober.mjs'), [base, 'healthz=/healthz@50', 'gate=/api/v1/gate?service=checkout@200']);
  const pusher = await startChild(join(supportDir, 'soak-pusher.mjs'), [base, ...[soakStart, seriesPerPush, batchSeries, samplesPerBatchSeries, soakStep].map(String)]);
  const push = (t: number): Promise<number[]> =>
    new Promise((resolve) => {
      pusher.once('message', (statuses) => resolve(statuses as number[]));
      pusher.send({ t });
    });
  let silence: string | undefined;
  const began = performance.now();
  try {
    for (slot = 0; slot < cycles; slot++) {
      const planned = began + slot * slotMs;
      if (performance.now() < planned) await new Promise((resolve) => setTimeout(resolve, planned - performance.now()));
      figures.lateness.push(performance.now() - planned);
      const now = expectedAt(slot);
      clock.set(now);
      const cycleStarted = performance.now();
      const cycle = app.tick().then((result) => {
        figures.cycleMs.push(performance.now() - cycleStarted);
        return result;
      });
      // The next interval's samples arrive while this cycle runs (stamped ahead of the clock, within tolerance).
      const traffic = (async () => {
        figures.pushStatuses.push(...(await push(now + soakStep - 1)));
        if (silence !== undefined && slot % 2 === 1) {
          const expired = await fetch(`${base}/api/v1/silences/${silence}`, { method: 'DELETE', headers: auth });
          figures.silenceStatuses.push(expired.status);
        }
        const added = await fetch(`${base}/api/v1/silences`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({ matchers: ['slo="checkout-availability"', 'severity="ticket"'], duration: '10m', createdBy: 'soak', comment: `slot ${slot}` }),
        });
        figures.silenceStatuses.push(added.status);
        if (added.ok) silence = ((await added.json()) as { id: string }).id;
      })();
      const [result] = await Promise.all([cycle, traffic]);
      const failed = result?.evaluations.filter((e) => e.status === 'backend_error') ?? [];
      figures.cycles.push({ slot, at: result?.at, errors: result ? failed.length : -1, messages: backendDown(slot) ? [] : failed.map((e) => e.error ?? '') });
      figures.rss.push(process.memoryUsage().rss);
      if ((now - soakStart) % 3600 === 0) figures.hourly.push({ hour: (now - soakStart) / 3600, bytes: fileSize(db) + fileSize(`${db}-wal`) });
    }
  } finally {
    Object.assign(figures, await stopProber(prober));
    pusher.kill();
    await app.stop();
    rmSync(dir, { recursive: true, force: true });
    figures.wallSeconds = (performance.now() - began) / 1000;
  }
  return figures;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
}

/**
 * RSS growth: the highest of the last third of cycles over the highest of the first third (warm-up). Undefined
 * when the first third is shorter than the retention hour: until retention deletes, the store fills by design
 * and memory with it, so a shorter run cannot tell that from a leak.
 */
export function rssGrowth(rss: readonly number[]): { warm: number; last: number } | undefined {
  const third = Math.floor(rss.length / 3);
  if (third * soakStep < soakRetentionSeconds) return undefined;
  return { warm: Math.max(...rss.slice(0, third)), last: Math.max(...rss.slice(2 * third)) };
}

/**
 * The database is flat once retention runs: over the last two simulated hours (from hour 3 on, after the file
 * filled with an hour of samples, the WAL and the evaluation history) it grows by less than 5%. Undefined when the
 * run is too short to tell.
 */
export function databaseGrowth(hourly: SoakFigures['hourly']): { from: { hour: number; bytes: number }; to: { hour: number; bytes: number } } | undefined {
  const to = hourly.at(-1);
  const from = to && hourly.find((h) => h.hour === to.hour - 2 && h.hour >= 3);
  return to && from ? { from, to } : undefined;
}

const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const counts = (values: readonly number[]): string =>
  JSON.stringify(Object.fromEntries([...new Set(values)].map((s) => [s, values.filter((v) => v === s).length])));

const errorBodies = (probe: ProbeResult): string =>
  Object.entries(probe.errorBodies)
    .map(([status, body]) => `; ${status}: ${body}`)
    .join('');

export interface SoakTarget {
  target: string;
  measured: string;
  met: boolean;
}

/** The soak's targets, each with what was measured. */
export function soakTargets(figures: SoakFigures): SoakTarget[] {
  const { options } = figures;
  const onStep = figures.cycles.every((c) => c.at === expectedAt(c.slot));
  const errorsOnDownSlots = figures.cycles.every((c) => (backendDown(c.slot) ? c.errors === 1 : c.slot === 0 || c.errors === 0));
  const healthzP99 = percentile(figures.healthz.latencies, 0.99);
  const lateness = Math.max(...figures.lateness);
  const rss = rssGrowth(figures.rss);
  const growth = databaseGrowth(figures.hourly);
  const targets: SoakTarget[] = [
    { target: `every cycle ran (${options.cycles})`, measured: `${figures.cycles.length}`, met: figures.cycles.length === options.cycles },
    { target: 'each cycle evaluated its own step', measured: onStep ? 'yes' : figures.cycles.filter((c) => c.at !== expectedAt(c.slot)).map((c) => `slot ${c.slot} at ${c.at}`).join(', '), met: onStep },
    {
      target: 'backend_error exactly while the backend was down',
      measured: [figures.cycles.map((c) => c.errors).join(''), ...new Set(figures.cycles.flatMap((c) => c.messages))].join('; '),
      met: errorsOnDownSlots,
    },
    { target: `on schedule: every cycle started within its slot (${options.slotMs} ms)`, measured: `latest start ${Math.round(lateness)} ms late, longest cycle ${Math.round(Math.max(...figures.cycleMs))} ms, median ${Math.round(percentile(figures.cycleMs, 0.5))} ms`, met: lateness < options.slotMs },
    { target: 'every push answered 200', measured: counts(figures.pushStatuses), met: figures.pushStatuses.length === 2 * figures.cycles.length && figures.pushStatuses.every((s) => s === 200) },
    { target: 'every silence created (201) and expired (200)', measured: counts(figures.silenceStatuses), met: figures.silenceStatuses.every((s) => s === 200 || s === 201) },
    { target: '/healthz always 200', measured: `${figures.healthz.latencies.length} probes, ${JSON.stringify(figures.healthz.statuses)}${errorBodies(figures.healthz)}`, met: Object.keys(figures.healthz.statuses).join() === '200' },
    { target: '/healthz p99 < 100 ms', measured: `p50 ${percentile(figures.healthz.latencies, 0.5).toFixed(1)} ms, p99 ${healthzP99.toFixed(1)} ms, max ${Math.round(Math.max(...figures.healthz.latencies))} ms`, met: healthzP99 < 100 },
    { target: 'gate answered (200 or 409)', measured: `${figures.gate.latencies.length} reads, p99 ${percentile(figures.gate.latencies, 0.99).toFixed(1)} ms, ${JSON.stringify(figures.gate.statuses)}${errorBodies(figures.gate)}`, met: Object.keys(figures.gate.statuses).every((s) => s === '200' || s === '409') },
  ];
  if (rss) {
    const { warm, last } = rss;
    targets.push({ target: 'RSS bounded (last third − first third < 128 MB)', measured: `${mb(warm)} → ${mb(last)} (${mb(last - warm)})`, met: last - warm < 128 * 2 ** 20 });
  }
  if (growth) {
    targets.push({
      target: 'database flat after retention (< 5% over the last two hours)',
      measured: `${figures.hourly.map((h) => `${h.hour}h ${mb(h.bytes)}`).join(', ')}`,
      met: growth.to.bytes < growth.from.bytes * 1.05,
    });
  }
  return targets;
}

export function soakSummary(figures: SoakFigures): string {
  const rows = soakTargets(figures).map((t) => `${t.met ? 'met   ' : 'MISSED'}  ${t.target}: ${t.measured}`);
  return [`soak: ${figures.cycles.length} cycles in ${Math.round(figures.wallSeconds)} s (slot ${figures.options.slotMs} ms = ${soakStep} simulated s)`, ...rows].join('\n');
}
