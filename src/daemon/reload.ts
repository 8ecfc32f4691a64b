import type { Config } from '../config/config.js';
import { ConfigError, loadConfig } from '../config/load-config.js';
import { formatDiagnostic } from '../spec/diagnostic.js';
import { loadSlos } from '../slo/load.js';
import type { Slo } from '../slo/model.js';
import type { ReloadPlan } from './reload-plan.js';

/** Settings and SLOs read afresh, or every problem found reading them. */
export type LoadedSettings = { ok: true; config: Config; slos: Slo[]; warnings: string[] } | { ok: false; errors: string[] };

/** Reads the settings and SLOs as start-up does. */
export type SettingsLoader = () => LoadedSettings;

export type ReloadOutcome =
  | ({ ok: true; at: number; warnings: string[] } & ReloadPlan)
  | { ok: false; at: number; errors: string[] };

/** The last reload, for /readyz: undefined until one was tried. */
export interface ReloadStatus {
  successful: boolean;
  at: number;
  errors: string[];
}

/**
 * Loads the SLOs of `config` with the start-up loaders. `loadSettings` re-reads the settings file too; a daemon
 * started without one keeps its settings and re-reads only the SLO files.
 */
export function loadSettingsAgain(read: () => Config): LoadedSettings {
  let config: Config;
  try {
    config = read();
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, errors: error.diagnostics.map(formatDiagnostic) };
    return { ok: false, errors: [error instanceof Error ? error.message : String(error)] };
  }
  const { slos, diagnostics } = loadSlos(config.slos, { runbookDir: config.runbooks });
  const errors = diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
  if (errors.length === 0 && slos.length === 0) errors.push(`no SLOs found in ${config.slos.join(', ')}`);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, config, slos, warnings: [...config.warnings, ...diagnostics.filter((d) => d.severity === 'warning').map(formatDiagnostic)] };
}

/** The default loader: the running settings file again (with its path as given), else the running settings. */
export function defaultSettingsLoader(running: Config): SettingsLoader {
  return () => loadSettingsAgain(() => (running.file === undefined ? running : loadConfig(running.file, true)));
}
