import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createPrometheusBackend } from '../src/backends/prometheus/prometheus-backend.js';
import type { Slo } from '../src/slo/model.js';
import { startPrometheus } from '../test/support/prometheus-server.js';
import { benchConcurrency, benchSettings } from './settings.js';
import { measureEngine, type EngineRun } from './engine-cycles.js';
import { ownMetric, queriesServed, ruleGroups, type GroupEvaluation } from './prometheus-metrics.js';
import { slothRuleFile } from './sloth-rules.js';
import { openTempLedger } from './temp-ledger.js';

export interface EngineOnPrometheus extends EngineRun {
  backfillMillis: number;
}

/**
 * The engine against a real Prometheus holding `historyFile`, its SQLite ledger fresh: start-up at
 * `dataEnd − steadyCycles` buckets, then one cycle per bucket up to `dataEnd`, so every cycle has data.
 */
export async function engineOnPrometheus(historyFile: string, slos: readonly Slo[], dataEnd: number, steadyCycles: number): Promise<EngineOnPrometheus> {
  const prometheus = await startPrometheus({ openMetricsFile: historyFile });
  const temp = openTempLedger();
  try {
    const settings = benchSettings();
    const backend = createPrometheusBackend({ url: prometheus.url, timeoutSeconds: 120 });
    const last = Math.floor(dataEnd / settings.bucket) * settings.bucket;
    const run = await measureEngine(
      { slos, backend, ledger: temp.ledger, settings, concurrency: benchConcurrency },
      {
        startAt: last - steadyCycles * settings.bucket,
        steadyCycles,
        requestCounter: () => queriesServed(prometheus.url),
        serverCpu: () => ownMetric(prometheus.url, 'process_cpu_seconds_total'),
      },
    );
    return { ...run, backfillMillis: prometheus.backfillMillis };
  } finally {
    temp.remove();
    await prometheus.stop();
  }
}

export interface RuleRound {
  /** Sum over groups of Prometheus's own `evaluationTime` for this round. */
  millis: number;
  groups: number;
  rules: number;
}

export interface RecordingRulesRun {
  rounds: RuleRound[];
  groups: number;
  rules: number;
  unhealthy: number;
  firstError: string | undefined;
  /** Prometheus process CPU seconds per minute while the rounds ran (including answering the polls of /api/v1/rules). */
  cpuSecondsPerMinute: number;
  backfillMillis: number;
}

const zeroTime = '0001-01-01T00:00:00Z';
const pollMillis = 15_000;

/**
 * The same SLOs as Sloth-style rules, evaluated by Prometheus every minute at wall-clock time (the history
 * must end near now). Polls `/api/v1/rules` until every group has evaluated `rounds` times; round k is the
 * k-th evaluation of every group, its cost the sum of their evaluation times.
 */
export async function recordingRulesOnPrometheus(historyFile: string, slos: readonly Slo[], rounds: number, workDir: string): Promise<RecordingRulesRun> {
  const rulesPath = join(workDir, 'sloth-rules.yml');
  await writeFile(rulesPath, slothRuleFile(slos));
  const prometheus = await startPrometheus({ openMetricsFile: historyFile, ruleFiles: [rulesPath], evaluationInterval: '1m' });
  try {
    const seen = new Map<string, { last: string; times: number[]; rules: number }>();
    let latest: GroupEvaluation[] = [];
    const cpuBefore = await ownMetric(prometheus.url, 'process_cpu_seconds_total');
    const started = performance.now();
    const deadline = Date.now() + (rounds + 2) * 60_000;
    for (;;) {
      latest = await ruleGroups(prometheus.url);
      for (const group of latest) {
        const entry = seen.get(group.name) ?? { last: zeroTime, times: [], rules: group.rules };
        if (group.lastEvaluation !== entry.last && !group.lastEvaluation.startsWith('0001-')) {
          entry.times.push(group.evaluationTime);
          entry.last = group.lastEvaluation;
        }
        seen.set(group.name, entry);
      }
      const done = [...seen.values()].every((entry) => entry.times.length >= rounds);
      if (done) break;
      if (Date.now() > deadline) throw new Error(`rule groups did not evaluate ${rounds} times within ${rounds + 2} minutes`);
      await new Promise((ok) => setTimeout(ok, pollMillis));
    }
    const cpuAfter = await ownMetric(prometheus.url, 'process_cpu_seconds_total');
    const minutes = (performance.now() - started) / 60_000;
    const entries = [...seen.values()];
    return {
      rounds: Array.from({ length: rounds }, (_, k) => ({
        millis: 1000 * entries.reduce((sum, entry) => sum + (entry.times[k] ?? 0), 0),
        groups: entries.length,
        rules: entries.reduce((sum, entry) => sum + entry.rules, 0),
      })),
      groups: entries.length,
      rules: entries.reduce((sum, entry) => sum + entry.rules, 0),
      unhealthy: latest.reduce((sum, group) => sum + group.unhealthy, 0),
      firstError: latest.find((group) => group.firstError !== undefined)?.firstError,
      cpuSecondsPerMinute: (cpuAfter - cpuBefore) / minutes,
      backfillMillis: prometheus.backfillMillis,
    };
  } finally {
    await prometheus.stop();
  }
}
