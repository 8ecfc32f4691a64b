import type { WindowCounts } from '../src/core/burn-rate.js';
import type { MetricBackend } from '../src/backends/backend.js';
import { evaluateSlo, type SloEvaluation } from '../src/engine/slo-evaluation.js';
import { alertWindows } from '../src/engine/slo-windows.js';
import { fillWindow } from '../src/promql/fill-window.js';
import type { IndicatorQuery, Slo } from '../src/slo/model.js';
import { mapConcurrent } from '../src/util/map-concurrent.js';

export interface NaiveCycleResult {
  queries: number;
  evaluations: SloEvaluation[];
}

/**
 * The alternative to the ledger: every cycle, query the errors and the total of every window afresh (one
 * evaluation point at `at`), as recording rules do. Two queries per window per SLO.
 */
export async function runNaiveCycle(slos: readonly Slo[], backend: MetricBackend, at: number, concurrency: number): Promise<NaiveCycleResult> {
  let queries = 0;
  const evaluations = await mapConcurrent(slos, concurrency, async (slo) => {
    const counts = new Map<number, WindowCounts>();
    for (const window of [...alertWindows(slo), slo.window]) {
      const events = async (query: IndicatorQuery): Promise<number | undefined> => {
        queries += 1;
        const series = await backend.queryRange({ expr: fillWindow(query.template, window), start: at, end: at, step: window });
        const value = series[0]?.points[0]?.value;
        if (value === undefined || !Number.isFinite(value)) return undefined;
        return query.unit === 'per_second' ? value * window : value;
      };
      const [found, total] = await Promise.all([events(slo.indicator.numerator), events(slo.indicator.total)]);
      // As the ledger reads buckets: no error series while requests exist means no errors.
      const numerator = found ?? (slo.indicator.numeratorKind === 'errors' && total !== undefined ? 0 : undefined);
      if (numerator === undefined || total === undefined) {
        counts.set(window, { errors: 0, total: 0, coverage: 0 });
        continue;
      }
      const errors = slo.indicator.numeratorKind === 'errors' ? numerator : total - numerator;
      counts.set(window, { errors: Math.min(Math.max(errors, 0), total), total, coverage: 1 });
    }
    const budget = counts.get(slo.window)!;
    counts.delete(slo.window);
    return evaluateSlo(slo, at, counts, budget);
  });
  return { queries, evaluations };
}
