import { Gauge } from 'prom-client';
import type { AlertStore } from '../alerting/alert-store.js';
import { formatDuration } from '../core/duration.js';
import { severities, type Slo } from '../slo/model.js';
import type { EvaluationStore, StoredEvaluation } from '../engine/evaluation-store.js';
import type { DaemonMetrics } from './metrics.js';

export interface SloGaugeSource {
  slos: readonly Slo[];
  store: Pick<EvaluationStore, 'latest' | 'lastEvaluationTime'>;
  alerts: Pick<AlertStore, 'all'>;
}

export interface SloGauges {
  budgetRemaining: Gauge<'slo' | 'service'>;
  burnRate: Gauge<'slo' | 'service' | 'window'>;
  errorRatio: Gauge<'slo' | 'service'>;
  alertFiring: Gauge<'slo' | 'service' | 'severity'>;
  evaluatedAt: Gauge<'slo' | 'service'>;
}

/**
 * Per-SLO gauges for progressive-delivery tools (Argo Rollouts, Flagger), read from the newest stored
 * evaluations at scrape time: always current, no work between scrapes. A value without data (no events
 * in the window) is left out rather than exported as 0, which would read as healthy.
 */
export function registerSloGauges(metrics: DaemonMetrics, source: SloGaugeSource): SloGauges {
  const registers = [metrics.registry];
  // The latest evaluations change once a cycle: every gauge of every scrape shares one read per cycle.
  let cached: { at: number | undefined; latest: Array<[Slo, StoredEvaluation]> } | undefined;
  const latestOf = (): Array<[Slo, StoredEvaluation]> => {
    const at = source.store.lastEvaluationTime();
    if (!cached || cached.at !== at) {
      const latest = source.slos.flatMap((slo) => {
        const evaluation = source.store.latest(slo.name);
        return evaluation ? [[slo, evaluation] as [Slo, StoredEvaluation]] : [];
      });
      cached = { at, latest };
    }
    return cached.latest;
  };

  const budgetRemaining = new Gauge({
    name: 'burnrate_slo_budget_remaining_ratio',
    help: 'Fraction of the error budget left over the SLO window (negative once overspent).',
    labelNames: ['slo', 'service'] as const,
    registers,
    collect() {
      this.reset();
      for (const [slo, e] of latestOf()) if (e.budgetRemaining !== null) this.set({ slo: slo.name, service: slo.service }, e.budgetRemaining);
    },
  });
  const errorRatio = new Gauge({
    name: 'burnrate_slo_error_ratio',
    help: 'Errors over total events in the SLO window.',
    labelNames: ['slo', 'service'] as const,
    registers,
    collect() {
      this.reset();
      for (const [slo, e] of latestOf()) if (e.errorRatio !== null) this.set({ slo: slo.name, service: slo.service }, e.errorRatio);
    },
  });
  const burnRate = new Gauge({
    name: 'burnrate_slo_burn_rate',
    help: 'Burn rate per alert window: error ratio over the window divided by the error budget (1 − objective).',
    labelNames: ['slo', 'service', 'window'] as const,
    registers,
    collect() {
      this.reset();
      for (const [slo, e] of latestOf()) {
        for (const w of e.detail.windows) {
          if (w.burnRate !== null) this.set({ slo: slo.name, service: slo.service, window: formatDuration(w.window) }, w.burnRate);
        }
      }
    },
  });
  const alertFiring = new Gauge({
    name: 'burnrate_slo_alert_firing',
    help: '1 while the SLO has a firing burn-rate alert of this severity, else 0 (also while a burn waits out its `for`).',
    labelNames: ['slo', 'service', 'severity'] as const,
    registers,
    collect() {
      this.reset();
      const firing = new Set(source.alerts.all().filter((a) => a.kind === 'burn' && a.state === 'firing').map((a) => `${a.slo}/${a.severity}`));
      for (const slo of source.slos) {
        for (const severity of severities) {
          if (slo.alerting.tiers[severity] === undefined) continue;
          this.set({ slo: slo.name, service: slo.service, severity }, firing.has(`${slo.name}/${severity}`) ? 1 : 0);
        }
      }
    },
  });
  const evaluatedAt = new Gauge({
    name: 'burnrate_slo_last_evaluation_timestamp_seconds',
    help: 'Evaluation time of the SLO\'s newest stored evaluation: check it is recent before trusting the other gauges.',
    labelNames: ['slo', 'service'] as const,
    registers,
    collect() {
      this.reset();
      for (const [slo, e] of latestOf()) this.set({ slo: slo.name, service: slo.service }, e.t);
    },
  });
  return { budgetRemaining, burnRate, errorRatio, alertFiring, evaluatedAt };
}
