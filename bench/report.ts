import type { EngineRun } from './engine-cycles.js';
import type { MemoryScenario } from './memory-scenario.js';
import type { EngineOnPrometheus, RecordingRulesRun } from './prometheus-scenarios.js';
import { median } from './stats.js';
import { count, formatTable, ratio, seconds } from './table.js';

export interface BenchResults {
  prometheusSlos: number;
  memorySlos: number;
  rules?: RecordingRulesRun;
  engine?: EngineOnPrometheus;
  memory?: MemoryScenario;
}

export const header = ['scenario', 'SLOs', 'queries/cycle', 'queries/SLO', 'cycle time', 'ratio', 'Prometheus CPU/cycle'] as const;

const steadyMedian = (run: EngineRun): number => median(run.steady.map((cycle) => cycle.millis));
const steadyQueries = (run: EngineRun): number => median(run.steady.map((cycle) => cycle.queries));

function queriesCell(queries: number, backend: number | undefined, name: string): string {
  return backend === undefined ? count(queries) : `${count(queries)} (${name} ${count(backend)})`;
}

function cpu(seconds: number | undefined): string {
  return seconds === undefined ? '' : `${seconds.toFixed(1)} s`;
}

function engineRows(run: EngineRun, slos: number, where: string, backendName: string, comparison?: { millis: number; name: string }): string[][] {
  const steadyBackend = run.steady.map((cycle) => cycle.backendRequests);
  const backend = steadyBackend.every((value) => value !== undefined) ? median(steadyBackend as number[]) : undefined;
  const steady = steadyMedian(run);
  return [
    [
      `burnrate start-up cycle (backfill), ${where}`,
      count(slos),
      queriesCell(run.startup.queries, run.startup.backendRequests, backendName),
      (run.startup.queries / slos).toFixed(1),
      `${seconds(run.startup.millis)} (1 cycle)`,
      '',
      cpu(run.startup.serverCpuSeconds),
    ],
    [
      `burnrate steady-state cycle, ${where}`,
      count(slos),
      queriesCell(steadyQueries(run), backend, backendName),
      (steadyQueries(run) / slos).toFixed(1),
      `${seconds(steady)} (median of ${run.steady.length})`,
      comparison ? ratio(steady, comparison.millis, comparison.name) : '',
      cpu(run.steady.every((cycle) => cycle.serverCpuSeconds !== undefined) ? median(run.steady.map((cycle) => cycle.serverCpuSeconds!)) : undefined),
    ],
  ];
}

/** The rows of the bench table, ratios against the comparison measured in the same run. */
export function benchRows(results: BenchResults): string[][] {
  const rows: string[][] = [];
  const rulesMillis = results.rules && median(results.rules.rounds.map((round) => round.millis));
  if (results.engine) {
    const comparison = rulesMillis === undefined ? undefined : { millis: rulesMillis, name: 'rules' };
    rows.push(...engineRows(results.engine, results.prometheusSlos, 'Prometheus 2.42', 'HTTP', comparison));
  }
  if (results.rules && rulesMillis !== undefined) {
    const perSlo = results.rules.rules / results.prometheusSlos;
    rows.push([
      'Sloth-style rules, Prometheus evaluating them (1m interval)',
      count(results.prometheusSlos),
      `${count(results.rules.rules)} rules`,
      perSlo.toFixed(1),
      `${seconds(rulesMillis)} (median of ${results.rules.rounds.length}, Σ ${count(results.rules.groups)} groups)`,
      'baseline (rules)',
      `${cpu(results.rules.cpuSecondsPerMinute)} (per minute)`,
    ]);
  }
  if (results.memory) {
    const naiveMillis = median(results.memory.naive.map((cycle) => cycle.millis));
    rows.push(...engineRows(results.memory.engine, results.memorySlos, 'memory backend', 'counted', { millis: naiveMillis, name: 'naive' }));
    const naiveQueries = median(results.memory.naive.map((cycle) => cycle.queries));
    const naiveCounted = median(results.memory.naive.map((cycle) => cycle.backendRequests));
    rows.push([
      'naive: re-read every window each cycle, memory backend',
      count(results.memorySlos),
      queriesCell(naiveQueries, naiveCounted, 'counted'),
      (naiveQueries / results.memorySlos).toFixed(1),
      `${seconds(naiveMillis)} (median of ${results.memory.naive.length})`,
      'baseline (naive)',
      '',
    ]);
  }
  return rows;
}

export function benchTable(results: BenchResults): string {
  return formatTable(header, benchRows(results));
}
