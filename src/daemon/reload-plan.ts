import type { Config } from '../config/config.js';
import { formatDuration } from '../core/duration.js';
import type { Slo } from '../slo/model.js';

/** What a reload does to one changed SLO's stored state. */
export interface SloChange {
  name: string;
  /** The parts of the definition that differ: `indicator`, `window`, `objective`, `alerting`, `alert windows`, `labels`, … */
  fields: string[];
  /** The recorded buckets: voided by a changed query (rebuilt from the backend), kept otherwise (window-independent). */
  buckets: 'kept' | 'reset';
  /** One sentence per kept or reset part, for the log and the answer. */
  history: string[];
}

export interface ReloadPlan {
  added: string[];
  removed: string[];
  changed: SloChange[];
  routingChanged: boolean;
  runbooksChanged: boolean;
  /** Settings that differ but are read only at start-up: they apply after a restart. */
  needsRestart: string[];
}

/** Settings applied by a reload; every other top-level setting needs a restart. */
const reloadable = new Set<keyof Config>(['file', 'slos', 'runbooks', 'routing', 'warnings']);

// Maps (routing receivers) compare by their entries.
const comparable = (value: unknown): string =>
  JSON.stringify(value, (_key, inner: unknown) => (inner instanceof Map ? [...inner.entries()] : inner instanceof Set ? [...inner] : inner)) ?? 'undefined';
const same = (a: unknown, b: unknown) => comparable(a) === comparable(b);

/** Pure: what changes between the running settings and SLOs and the newly loaded ones. */
export function planReload(running: { config: Config; slos: readonly Slo[] }, next: { config: Config; slos: readonly Slo[] }): ReloadPlan {
  const before = new Map(running.slos.map((slo) => [slo.name, slo]));
  const after = new Map(next.slos.map((slo) => [slo.name, slo]));
  const changed: SloChange[] = [];
  for (const [name, slo] of after) {
    const old = before.get(name);
    if (old) {
      const change = sloChange(old, slo);
      if (change) changed.push(change);
    }
  }
  const needsRestart = (Object.keys(next.config) as Array<keyof Config>)
    .filter((key) => !reloadable.has(key) && comparable(running.config[key]) !== comparable(next.config[key]))
    .sort();
  return {
    added: [...after.keys()].filter((name) => !before.has(name)),
    removed: [...before.keys()].filter((name) => !after.has(name)),
    changed,
    routingChanged: comparable(running.config.routing) !== comparable(next.config.routing),
    runbooksChanged: running.config.runbooks !== next.config.runbooks,
    needsRestart,
  };
}

function sloChange(old: Slo, slo: Slo): SloChange | undefined {
  const fields: string[] = (['indicator', 'window', 'objective', 'service', 'labels', 'description'] as const).filter((field) => !same(old[field], slo[field]));
  if (!same(old.alerting.tiers, slo.alerting.tiers) || old.alerting.minEvents !== slo.alerting.minEvents) fields.push('alerting');
  // The burn factors follow from the window: listed only when they changed otherwise.
  if (!same(old.alerting.pairs, slo.alerting.pairs) && !fields.includes('window')) fields.push('alert windows');
  if (fields.length === 0) return undefined;
  const queries = fields.includes('indicator');
  const history: string[] = [];
  if (queries) history.push('recorded buckets reset: the queries changed, the budget is rebuilt from the backend over the window');
  else history.push('recorded buckets kept: they do not depend on the window, objective or alerting');
  if (fields.includes('window')) {
    const grew = slo.window > old.window;
    history.push(
      grew
        ? `window ${formatDuration(old.window)} → ${formatDuration(slo.window)}: the budget covers the ${formatDuration(old.window)} of buckets kept until the longer window fills`
        : `window ${formatDuration(old.window)} → ${formatDuration(slo.window)}: buckets older than the new window are dropped at the next housekeeping`,
    );
  }
  if (queries || fields.includes('window') || fields.includes('objective')) {
    history.push('stored evaluations kept: those before the reload were judged by the old definition');
  }
  if (fields.includes('alerting') || fields.includes('service') || fields.includes('labels')) {
    history.push('alerts the new definition cannot raise are resolved; the others keep their state');
  } else {
    history.push('alert state kept: the next evaluation judges it by the new definition');
  }
  return { name: slo.name, fields, buckets: queries ? 'reset' : 'kept', history };
}
