import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createEmbeddedBackend } from '../backends/embedded/embedded-backend.js';
import { loadConfig } from '../config/load-config.js';
import { ManualClock } from '../core/clock.js';
import { alignDown } from '../core/time.js';
import { createApp } from '../daemon/app.js';
import { silentLogger } from '../log.js';
import { loadSlos } from '../slo/load.js';
import { weekAt, weekBounds } from '../report/iso-week.js';
import { reportSettingsOf } from '../report/report-settings.js';
import { openDatabase } from '../store/database.js';
import { demoDeploys, type DemoDeploy } from './demo-deploys.js';
import type { Incident } from './incidents.js';
import { loadScenario } from './load-scenario.js';
import { replayDaemon, type ReplayProgress } from './replay-daemon.js';

export interface DemoOptions {
  /** The directory holding `slos/` and `runbooks/` (the repository). */
  root: string;
  /** Where the database goes; emptied first. */
  dir: string;
  /** Unix seconds: the end of the simulated history and the daemon's last cycle. */
  end: number;
  /** Days of history (default 35). */
  days?: number;
  /**
   * The daemon's first cycle (which backfills the SLO windows from the samples). Default: six hours before the ISO
   * week of checkout's fast burn begins (in `reports.timezone`), so that week's report is complete, and at least two days before `end`.
   */
  daemonFrom?: number;
  /** Seconds the daemon's clock moves per cycle; each cycle replays the evaluation steps in between (default 1 day). */
  cycleStep?: number;
  onStage?: (stage: DemoStage) => void;
}

export type DemoStage =
  | { stage: 'loaded'; samples: number; rejected: number; incidents: Incident[]; ms: number }
  | { stage: 'deploys'; deploys: DemoDeploy[] }
  | { stage: 'cycle'; progress: ReplayProgress; from: number; to: number }
  | { stage: 'replayed'; progress: ReplayProgress; ms: number };

export interface DemoResult {
  db: string;
  incidents: Incident[];
  deploys: DemoDeploy[];
  samples: number;
  daemon: ReplayProgress & { from: number; to: number };
}

const hour = 3600;
const day = 24 * hour;
const scrapeInterval = 30;

/**
 * The demo's database: the synthetic scenario in the embedded store, a few deploys, and the daemon's own cycle run
 * over the history on a manual clock, so evaluations, alerts and their history are stored as a daemon that had
 * been running all along would have stored them (eval, gate, report and the HTTP API all have data).
 */
/** Where the daemon starts by default (see {@link DemoOptions.daemonFrom}). */
export function daemonStart(incidents: readonly Incident[], end: number, timeZone: string): number {
  const fastBurn = incidents.find((i) => i.service === 'checkout' && i.kind === 'fast-burn');
  const latest = end - 2 * day;
  if (!fastBurn) return latest;
  return Math.min(latest, weekBounds(weekAt(fastBurn.start, timeZone), timeZone).start - 6 * hour);
}

export async function buildDemo(options: DemoOptions): Promise<DemoResult> {
  const days = options.days ?? 35;
  const db = join(options.dir, 'burnrate.db');
  rmSync(options.dir, { recursive: true, force: true });
  mkdirSync(options.dir, { recursive: true });
  const config = loadConfig(join(options.root, 'burnrate.demo-absent.yaml'), false, { db, slos: join(options.root, 'slos') }, options.root, {});
  const { slos, diagnostics } = loadSlos(config.slos, { runbookDir: config.runbooks });
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`the demo SLOs do not load: ${errors.map((d) => d.message).join('; ')}`);

  const loadStarted = performance.now();
  const database = openDatabase(db);
  let loaded: Awaited<ReturnType<typeof loadScenario>>;
  try {
    if (config.backend.kind !== 'embedded') throw new Error('the demo runs on the embedded store');
    loaded = await loadScenario(createEmbeddedBackend(database, config.backend.limits), {
      end: options.end,
      days,
      scrapeInterval,
      samplesPerPush: config.backend.limits.samplesPerPush,
      now: options.end,
    });
  } finally {
    database.close();
  }
  options.onStage?.({ stage: 'loaded', samples: loaded.samples, rejected: loaded.rejected, incidents: loaded.incidents, ms: performance.now() - loadStarted });

  const bucket = config.evaluation.bucket;
  const from = alignDown(options.daemonFrom ?? daemonStart(loaded.incidents, options.end, reportSettingsOf(config).timeZone), bucket);
  if (from <= options.end - days * day) throw new Error('the daemon must start after the first sample');
  const to = alignDown(options.end, bucket);
  const step = Math.max(bucket, alignDown(options.cycleStep ?? day, bucket));
  const clock = new ManualClock(from);
  // Every step between two cycles is replayed, as after downtime: the catch-up limit is raised to one cycle step.
  const daemonConfig = { ...config, evaluation: { ...config.evaluation, maxCatchUpSteps: Math.max(config.evaluation.maxCatchUpSteps, step / bucket) } };
  const app = createApp(daemonConfig, slos, { clock, log: silentLogger, http: false, channels: new Map() });
  try {
    const deploys = demoDeploys(loaded.incidents);
    for (const deploy of deploys) app.deploys.record(deploy, deploy.finishedAt, 'cli');
    options.onStage?.({ stage: 'deploys', deploys });
    const replayStarted = performance.now();
    const progress = await replayDaemon(app, clock, { from, to, step }, (p) => options.onStage?.({ stage: 'cycle', progress: p, from, to }));
    options.onStage?.({ stage: 'replayed', progress, ms: performance.now() - replayStarted });
    return { db, incidents: loaded.incidents, deploys, samples: loaded.samples, daemon: { ...progress, from, to } };
  } finally {
    await app.stop();
  }
}
