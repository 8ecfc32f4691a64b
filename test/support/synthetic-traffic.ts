import { parseDuration } from '../../src/core/duration.js';
import type { SyntheticValue } from '../../src/backends/memory-backend.js';
import type { Indicator } from '../../src/slo/model.js';

/** Indicator queries the synthetic backend understands: `sum(rate(errors{slo="a"}[5m]))` and its total. */
export function syntheticIndicator(slo: string): Indicator {
  return {
    numeratorKind: 'errors',
    numerator: { template: `sum(rate(errors{slo="${slo}"}[{{window}}]))`, unit: 'per_second' },
    total: { template: `sum(rate(total{slo="${slo}"}[{{window}}]))`, unit: 'per_second' },
  };
}

export interface Episode {
  slo: string;
  /** Unix seconds, [from, to). */
  from: number;
  to: number;
  /** Error ratio while it lasts. */
  ratio: number;
}

export interface Traffic {
  /** Requests per second of every SLO. */
  rate: number;
  episodes: Episode[];
  /** Times (unix seconds) from which the backend has no data at all, and until which. */
  noData?: { from: number; to: number };
  /** Make every query of these SLOs fail. */
  failing?: string[];
  /**
   * The first second with data, as for a new service or a new Prometheus: a window reaching further back holds
   * only what exists (errors and total alike), so its ratio is that of the existing data. Default: no limit.
   */
  since?: number;
}

const overlap = (a0: number, a1: number, b0: number, b1: number) => Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));

/**
 * Exact per-second rates over `(t − window, t]` for piecewise-constant error ratios: what a perfectly
 * scraped counter would give, so tests can predict every window to the event.
 */
export function syntheticTraffic(traffic: Traffic): SyntheticValue {
  return (expr, t) => {
    const match = /^sum\(rate\((errors|total)\{slo="([^"]+)"\}\[(\w+)\]\)\)$/.exec(expr);
    if (!match) throw new Error(`synthetic backend cannot answer ${expr}`);
    const [, kind, slo, windowText] = match;
    if (traffic.failing?.includes(slo!)) throw new Error(`connection refused for ${slo}`);
    if (traffic.noData && t >= traffic.noData.from && t < traffic.noData.to) return undefined;
    const window = parseDuration(windowText!)!;
    const covered = traffic.since === undefined ? window : overlap(t - window, t, traffic.since, Infinity);
    if (covered <= 0) return undefined;
    if (kind === 'total') return (traffic.rate * covered) / window;
    const bad = traffic.episodes
      .filter((episode) => episode.slo === slo)
      .reduce((sum, episode) => sum + overlap(t - covered, t, episode.from, episode.to) * episode.ratio, 0);
    return (traffic.rate * bad) / window;
  };
}
