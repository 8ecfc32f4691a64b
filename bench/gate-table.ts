import type { GateBenchResult, LoadRun } from './gate-scenario.js';
import { count, formatTable } from './table.js';

export const gateHeader = ['gate scenario', 'SLOs/request', 'offered load', 'requests', 'p50', 'p99', 'throughput', 'p99 ratio', 'throughput ratio', 'failures'] as const;

const ms = (value: number): string => `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;
const describeRoute = (run: LoadRun, result: GateBenchResult): string =>
  run.route === 'stored'
    ? 'GET /api/v1/gate (latest stored evaluation)'
    : `re-read: ${count(result.sizes.history / result.sizes.step)} stored evaluations per SLO each request`;

/** Rows comparing the gate with the re-read at the same offered load: ratios against the gate in the same run. */
export function gateRows(result: GateBenchResult): string[][] {
  const perRequest = result.sizes.slos / result.sizes.services;
  return result.runs.map((run) => {
    const base = result.runs.find((other) => other.route === 'stored' && other.rate === run.rate);
    return [
      describeRoute(run, result),
      count(perRequest),
      run.rate === undefined ? `max (${run.connections} connections)` : `${count(run.rate)} req/s`,
      count(run.requests),
      ms(run.p50),
      ms(run.p99),
      `${count(Math.round(run.throughput))} req/s`,
      base && run.route !== 'stored' ? `${(run.p99 / base.p99).toFixed(1)} × gate` : 'baseline',
      base && run.route !== 'stored' ? `${(run.throughput / base.throughput).toFixed(3)} × gate` : 'baseline',
      count(run.failures),
    ];
  });
}

export function gateTable(result: GateBenchResult): string {
  return formatTable(gateHeader, gateRows(result));
}

/** Whether the stored-evaluation gate met its target: p99 under 10 ms at the fixed rate. */
export function gateTarget(result: GateBenchResult): string {
  const run = result.runs.find((r) => r.route === 'stored' && r.rate !== undefined);
  if (!run) return '';
  return `gate p99 at ${count(run.rate!)} req/s under 10 ms: ${run.p99 < 10 ? 'yes' : 'NO'} (${ms(run.p99)}, ${count(Math.round(run.throughput))} req/s served)`;
}
