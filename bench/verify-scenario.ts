import { defaultComparison, defaultMinEvents } from '../src/core/error-ratio-comparison.js';
import { humanizeSeconds, parseDuration } from '../src/core/duration.js';
import { workbookWindows } from '../src/core/window-presets.js';
import { makePair, timeToFire } from '../src/core/windows.js';
import { simulateDeploys, type DeployScenario } from '../test/support/deploy-simulation.js';

/**
 * Deploy verification on simulated traffic, watched once a minute for 30 minutes as the daemon watches: the share
 * of healthy deploys that fail (false alarms) and how soon regressions fail, beside the time the workbook's
 * burn-rate tiers take to fire for the same error ratio (from a clean start, 30-day window).
 */
export interface VerifyBenchRow {
  traffic: string;
  change: string;
  deploys: number;
  failed: number;
  inconclusive: number;
  /** Minutes to the first failed look: median, 90th percentile, longest; undefined when none failed. */
  detection: { p50: number; p90: number; max: number } | undefined;
  tiers: string;
}

const objective = 99.9;
const base: Omit<DeployScenario, 'deploys' | 'requestsPerSecond' | 'ratioAfter'> = {
  seed: 42,
  objectivePercent: objective,
  ratioBefore: 0.001,
  diurnalAmplitude: 0.5,
  watchMinutes: 30,
  policy: { ...defaultComparison, minEvents: defaultMinEvents(objective) },
};

function tiersFor(ratioAfter: number): string {
  if (ratioAfter <= base.ratioBefore) return '-';
  const times = workbookWindows.map((preset) => {
    const pair = makePair(preset.severity, parseDuration(preset.long)!, parseDuration(preset.short)!, preset.budgetPercent / 100, 30 * 86_400);
    const seconds = timeToFire(pair, objective, ratioAfter);
    return `${preset.severity} ${preset.long} ${Number.isFinite(seconds) ? humanizeSeconds(seconds) : 'never'}`;
  });
  return times.join(', ');
}

const rank = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

export function verifyBench(quick: boolean): VerifyBenchRow[] {
  const healthyDeploys = quick ? 1000 : 10_000;
  const regressedDeploys = quick ? 200 : 1000;
  const cases = [
    { rps: 50, after: 0.001, deploys: healthyDeploys },
    { rps: 5, after: 0.001, deploys: healthyDeploys },
    { rps: 1, after: 0.001, deploys: healthyDeploys },
    { rps: 50, after: 0.005, deploys: regressedDeploys },
    { rps: 50, after: 0.003, deploys: regressedDeploys },
    { rps: 5, after: 0.005, deploys: regressedDeploys },
    { rps: 5, after: 0.02, deploys: regressedDeploys },
    { rps: 1, after: 0.02, deploys: regressedDeploys },
  ];
  return cases.map(({ rps, after, deploys }) => {
    const outcomes = simulateDeploys({ ...base, deploys, requestsPerSecond: rps, ratioAfter: after });
    const minutes = outcomes.flatMap((o) => (o.failedAfter === undefined ? [] : [o.failedAfter])).sort((a, b) => a - b);
    return {
      traffic: `${rps} req/s`,
      change: after === base.ratioBefore ? 'none (0.1%)' : `0.1% → ${(after * 100).toFixed(1)}%`,
      deploys,
      failed: minutes.length,
      inconclusive: outcomes.filter((o) => o.verdict === 'inconclusive').length,
      detection: minutes.length === 0 ? undefined : { p50: rank(minutes, 0.5), p90: rank(minutes, 0.9), max: minutes.at(-1)! },
      tiers: tiersFor(after),
    };
  });
}

export function verifyTable(rows: readonly VerifyBenchRow[]): string {
  const header = ['traffic', 'change at the deploy', 'deploys', 'failed', 'inconclusive at 30m', 'minutes to fail p50/p90/max', 'burn-rate tiers would fire after'];
  const cells = rows.map((r) => [
    r.traffic,
    r.change,
    String(r.deploys),
    `${r.failed} (${((100 * r.failed) / r.deploys).toFixed(2)}%)`,
    String(r.inconclusive),
    r.detection ? `${r.detection.p50} / ${r.detection.p90} / ${r.detection.max}` : '-',
    r.tiers,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) => `| ${c.map((x, i) => x.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}
