import type { MetricBackend, Series } from '../backends/backend.js';
import { alignDown } from '../core/time.js';
import type { DeployEvent } from './deploy.js';
import type { DeployStore } from './deploy-store.js';

export interface BuildInfoConfig {
  /** The info metric, optionally with a selector: `app_build_info` or `app_build_info{job="api"}`. */
  metric: string;
  /** Default `service`. */
  serviceLabel?: string;
  /** Default `version`. */
  versionLabel?: string;
  commitLabel?: string;
  environmentLabel?: string;
  /** Resolution of the version history, seconds. Default 60. */
  step?: number;
  /** How far the first poll looks back, seconds. Default 3600. */
  lookback?: number;
  /** Stay this far behind the poll time, for ingestion lag, seconds. Default 0. */
  delay?: number;
}

const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const commitHash = /^[0-9a-fA-F]{7,40}$/;
const metricSelector = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})?$/;

/** What the watcher knows of one service (in one environment). */
interface ServiceState {
  /** The version the service runs, as last decided. */
  current: string | undefined;
  /** Versions present at the last step seen; undefined before the first. */
  previous: ReadonlySet<string> | undefined;
}

interface Presence {
  service: string;
  environment: string | null;
  /** Step time → version → commit (or null). */
  steps: Map<number, Map<string, string | null>>;
}

const lastSorted = (values: Iterable<string>): string => [...values].sort().at(-1)!;

/**
 * Records a deploy when the version reported by a `*_build_info` metric changes. One range query per poll;
 * a version that appears (and is not the one already known) is a deploy that finished at the first step it
 * was seen. A service seen for the first time sets the baseline and records nothing. After a restart the
 * first poll looks back again; steps already recorded are found in the store and not recorded twice.
 */
export class BuildInfoWatcher {
  private readonly labels: { service: string; version: string; commit: string | undefined; environment: string | undefined };
  private readonly step: number;
  private readonly lookback: number;
  private readonly delay: number;
  private readonly expr: string;
  private lastStep: number | undefined;
  private readonly states = new Map<string, ServiceState>();

  constructor(
    private readonly backend: MetricBackend,
    private readonly store: DeployStore,
    private readonly config: BuildInfoConfig,
  ) {
    this.labels = {
      service: config.serviceLabel ?? 'service',
      version: config.versionLabel ?? 'version',
      commit: config.commitLabel,
      environment: config.environmentLabel,
    };
    for (const name of Object.values(this.labels)) {
      if (name !== undefined && !labelName.test(name)) throw new Error(`build_info: expected a label name, got "${name}"`);
    }
    if (!metricSelector.test(config.metric)) throw new Error(`build_info: expected a metric name such as app_build_info, got "${config.metric}"`);
    this.step = config.step ?? 60;
    this.lookback = config.lookback ?? 3600;
    this.delay = config.delay ?? 0;
    if (!(this.step > 0) || !(this.lookback >= 0) || !(this.delay >= 0)) throw new Error('build_info: step must be positive, lookback and delay not negative');
    const by = [this.labels.service, this.labels.version, this.labels.commit, this.labels.environment].filter((l) => l !== undefined);
    // `sum` rather than `max`: only presence matters, and the embedded store implements `sum` only.
    this.expr = `sum by (${[...new Set(by)].join(', ')}) (${config.metric})`;
  }

  /** The query each poll runs. */
  get query(): string {
    return this.expr;
  }

  /** Reads the version history since the last poll and records the deploys found; returns the new ones. */
  async poll(at: number, signal?: AbortSignal): Promise<DeployEvent[]> {
    const end = alignDown(at - this.delay, this.step);
    const start = this.lastStep === undefined ? alignDown(end - this.lookback, this.step) : this.lastStep + this.step;
    if (start > end) return [];
    const series = await this.backend.queryRange({ expr: this.expr, start, end, step: this.step }, signal);
    const recorded: DeployEvent[] = [];
    const presences = [...this.presence(series).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [key, presence] of presences) {
      let state = this.states.get(key);
      if (state === undefined) {
        state = { current: this.store.latestVersion(presence.service, presence.environment, { atOrBefore: start }), previous: undefined };
        this.states.set(key, state);
      }
      for (let t = start; t <= end; t += this.step) {
        const versions = presence.steps.get(t);
        if (versions === undefined || versions.size === 0) {
          state.previous = new Set();
          continue;
        }
        const present = new Set(versions.keys());
        const next = this.decide(state, present);
        state.previous = present;
        if (next === undefined) continue;
        const before = state.current;
        state.current = next;
        if (this.alreadyKnown(presence, next, t)) continue;
        const { event, created } = this.store.save(
          {
            service: presence.service,
            environment: presence.environment,
            version: next,
            commit: versions.get(next) ?? null,
            finishedAt: t,
            summary: `${this.config.metric}: version ${before ?? '(unknown)'} → ${next}`,
          },
          at,
          'build_info',
        );
        if (created) recorded.push(event);
      }
    }
    this.lastStep = end;
    return recorded;
  }

  /** Recorded by CI through the API, or by this watcher before a restart (then its rescan finds it again). */
  private alreadyKnown(presence: Presence, version: string, t: number): boolean {
    const { service, environment } = presence;
    return (
      this.store.latestVersion(service, environment, { atOrBefore: t }) === version ||
      this.store.latestVersion(service, environment, { atOrBefore: t, source: 'build_info' }) === version
    );
  }

  /** The version the service changed to at this step, if it changed. */
  private decide(state: ServiceState, present: ReadonlySet<string>): string | undefined {
    if (state.current === undefined) {
      state.current = lastSorted(present);
      return undefined;
    }
    // At the first step seen there is no earlier step: only a missing current version means a change.
    const previous = state.previous ?? present;
    const newcomers = [...present].filter((v) => !previous.has(v) && v !== state.current);
    if (newcomers.length > 0) return lastSorted(newcomers);
    // Only older versions left (a rollback, or a deploy that happened while nobody was looking).
    if (!present.has(state.current)) return lastSorted(present);
    return undefined;
  }

  private presence(series: readonly Series[]): Map<string, Presence> {
    const byKey = new Map<string, Presence>();
    for (const s of series) {
      const service = s.labels[this.labels.service];
      const version = s.labels[this.labels.version];
      if (service === undefined || service === '' || version === undefined || version === '') continue;
      const environment = this.labels.environment === undefined ? null : (s.labels[this.labels.environment] || null);
      const commitValue = this.labels.commit === undefined ? undefined : s.labels[this.labels.commit];
      // Builds report "unknown" or "dirty" at times: keep only what is a commit hash.
      const commit = commitValue !== undefined && commitHash.test(commitValue) ? commitValue.toLowerCase() : null;
      const key = JSON.stringify([service, environment]);
      let presence = byKey.get(key);
      if (presence === undefined) {
        presence = { service, environment, steps: new Map() };
        byKey.set(key, presence);
      }
      for (const point of s.points) {
        if (Number.isNaN(point.value)) continue;
        let versions = presence.steps.get(point.t);
        if (versions === undefined) {
          versions = new Map();
          presence.steps.set(point.t, versions);
        }
        const known = versions.get(version);
        if (known === undefined || (commit !== null && (known === null || commit < known))) versions.set(version, commit);
      }
    }
    return byKey;
  }
}
