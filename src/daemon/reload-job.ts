import type { AlertChange } from '../alerting/alert-history.js';
import type { Config } from '../config/config.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../log.js';
import type { Slo } from '../slo/model.js';
import type { CycleGate } from './cycle-gate.js';
import type { DaemonMetrics } from './metrics.js';
import type { LoadedSettings, ReloadOutcome, ReloadStatus, SettingsLoader } from './reload.js';
import { planReload, type ReloadPlan } from './reload-plan.js';
import { SerialJob } from './serial-job.js';

export interface ReloadJobParts {
  clock: Clock;
  gate: CycleGate;
  loadSettings: SettingsLoader;
  /** The running settings and SLOs. */
  running: () => { config: Config; slos: readonly Slo[] };
  /** Swaps in what was read (SLOs, runbooks, routing); resolves to the alerts that ended with their SLO or tier. */
  apply: (loaded: Extract<LoadedSettings, { ok: true }>, plan: ReloadPlan, at: number) => Promise<AlertChange[]>;
  metrics: DaemonMetrics;
  log: Logger;
}

export interface ReloadJob {
  job: SerialJob<ReloadOutcome>;
  /** The last reload, for /readyz: undefined until one was tried. */
  status(): ReloadStatus | undefined;
}

/**
 * The reload job: reads the settings and SLOs again and, when every file validates, swaps them in while no cycle
 * or delivery beat runs; otherwise keeps the running set. Each request reads the files afresh (one waits for the
 * one under way). Never rejects on a bad file: the outcome lists every problem.
 */
export function reloadJob(parts: ReloadJobParts): ReloadJob {
  const { clock, metrics, log } = parts;
  let status: ReloadStatus | undefined;
  const reload = async (): Promise<ReloadOutcome> => {
    const at = clock.now();
    const loaded = parts.loadSettings();
    if (!loaded.ok) {
      status = { successful: false, at, errors: loaded.errors };
      metrics.reloadSuccessful.set(0);
      for (const error of loaded.errors) log.error({ error }, 'reload refused: a file does not validate');
      log.error({ errors: loaded.errors.length, slos: parts.running().slos.length }, 'configuration reload failed: the running SLOs, runbooks and routing are kept');
      return { ok: false as const, at, errors: loaded.errors };
    }
    const plan = planReload(parts.running(), loaded);
    const resolved = await parts.apply(loaded, plan, at);
    for (const { slo, kind, severity, state } of resolved) log.info({ slo, kind, severity, state }, 'alert ended by the reload: its SLO or tier is no longer configured');
    status = { successful: true, at, errors: [] };
    metrics.reloadSuccessful.set(1);
    metrics.reloadSuccessTime.set(at);
    for (const warning of loaded.warnings) log.warn({ warning }, 'reloaded with a warning');
    for (const change of plan.changed) log.info({ slo: change.name, fields: change.fields, buckets: change.buckets, history: change.history }, 'SLO changed by the reload');
    if (plan.needsRestart.length > 0) log.warn({ settings: plan.needsRestart }, 'settings changed that apply only after a restart: kept the running values');
    log.info({ slos: parts.running().slos.length, added: plan.added, removed: plan.removed, changed: plan.changed.map((change) => change.name), routingChanged: plan.routingChanged, alertsResolved: resolved.length }, 'configuration reloaded');
    return { ok: true as const, at, warnings: loaded.warnings, ...plan };
  };
  return { job: new SerialJob({ name: 'reload', work: () => parts.gate.exclusive(reload), log }), status: () => status };
}
