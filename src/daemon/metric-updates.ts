import type { DeliveryEvents } from '../notify/delivery-worker.js';
import type { EvaluationOutcome } from './evaluator.js';
import type { DaemonMetrics } from './metrics.js';

/** An evaluation cycle's figures on /metrics: its wall time, queries, last evaluation time and each SLO's status. */
export function recordCycleMetrics(metrics: DaemonMetrics, result: EvaluationOutcome, seconds: number): void {
  metrics.cycleDuration.observe(seconds);
  metrics.backendQueries.inc(result.queries);
  metrics.lastCycle.set(result.at);
  for (const evaluation of result.evaluations) {
    metrics.evaluations.inc({ status: evaluation.status });
    if (evaluation.status === 'backend_error') metrics.backendErrors.inc();
  }
}

/** Each notification sent, retried or given up, by receiver integration (and error code), on /metrics. */
export function deliveryMetrics(metrics: DaemonMetrics): DeliveryEvents {
  return {
    sent: (integration) => metrics.notificationsSent.inc({ integration }),
    retried: (integration, error) => metrics.notificationsRetried.inc({ integration, code: error.code }),
    failed: (integration) => metrics.notificationsFailed.inc({ integration }),
  };
}
