import type { TickResult } from './evaluator.js';
import type { DaemonMetrics } from './metrics.js';

/** An evaluation cycle's figures on /metrics: its wall time, queries, last evaluation time and each SLO's status. */
export function recordCycleMetrics(metrics: DaemonMetrics, result: TickResult, seconds: number): void {
  metrics.cycleDuration.observe(seconds);
  metrics.backendQueries.inc(result.queries);
  metrics.lastCycle.set(result.at);
  for (const evaluation of result.evaluations) {
    metrics.evaluations.inc({ status: evaluation.status });
    if (evaluation.status === 'backend_error') metrics.backendErrors.inc();
  }
}
