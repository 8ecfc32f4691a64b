import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The daemon's own health, on `GET /metrics` in the Prometheus text format. */
export class DaemonMetrics {
  readonly registry = new Registry();
  readonly evaluations = new Counter({ name: 'burnrate_evaluations_total', help: 'SLO evaluations, by status.', labelNames: ['status'] as const, registers: [this.registry] });
  readonly cycleDuration = new Histogram({
    name: 'burnrate_evaluation_cycle_duration_seconds',
    help: 'Wall time of one evaluation cycle (all SLOs).',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly backendQueries = new Counter({ name: 'burnrate_backend_queries_total', help: 'Queries sent to the metric backend.', registers: [this.registry] });
  readonly backendErrors = new Counter({ name: 'burnrate_backend_errors_total', help: 'SLO evaluations whose backend queries failed.', registers: [this.registry] });
  readonly notificationsSent = new Counter({ name: 'burnrate_notifications_sent_total', help: 'Notifications delivered, by receiver integration.', labelNames: ['integration'] as const, registers: [this.registry] });
  readonly notificationsRetried = new Counter({
    name: 'burnrate_notifications_retried_total',
    help: 'Failed delivery attempts that will be retried, by receiver integration and error code.',
    labelNames: ['integration', 'code'] as const,
    registers: [this.registry],
  });
  readonly notificationsFailed = new Counter({ name: 'burnrate_notifications_failed_total', help: 'Notifications given up, by receiver integration.', labelNames: ['integration'] as const, registers: [this.registry] });
  readonly outboxDepth = new Gauge({ name: 'burnrate_outbox_depth', help: 'Notifications waiting for delivery.', registers: [this.registry] });
  readonly lastCycle = new Gauge({ name: 'burnrate_last_evaluation_timestamp_seconds', help: 'Evaluation time of the last completed cycle.', registers: [this.registry] });
  readonly lastSuccessfulCycle = new Gauge({
    name: 'burnrate_last_successful_cycle_timestamp_seconds',
    help: 'When the last cycle in which the backend answered for at least one SLO finished (wall clock); alert when it ages.',
    registers: [this.registry],
  });
  readonly reloadSuccessful = new Gauge({ name: 'burnrate_config_last_reload_successful', help: 'Whether the last configuration reload succeeded (1) or kept the running set (0).', registers: [this.registry] });
  readonly reloadSuccessTime = new Gauge({ name: 'burnrate_config_last_reload_success_timestamp_seconds', help: 'When the configuration was last loaded successfully (start-up or reload).', registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'burnrate_process_' });
  }
}
