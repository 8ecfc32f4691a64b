import type { MetricBackend } from '../backends/backend.js';
import { conditionTransition, type ConditionTransition } from '../core/condition.js';
import { MemoryLedger } from '../ledger/memory-ledger.js';
import type { Severity, Slo } from '../slo/model.js';
import { mapConcurrent } from '../util/map-concurrent.js';
import { evaluateSlo } from './slo-evaluation.js';
import { syncBuckets, type BucketSettings, type SyncResult } from './sync-buckets.js';

export interface BacktestRequest {
  slos: readonly Slo[];
  backend: MetricBackend;
  settings: BucketSettings;
  from: number;
  to: number;
  /** A multiple of the bucket size. */
  step: number;
  concurrency: number;
  /** Called after each SLO is replayed, for progress output. */
  onProgress?: (done: number, total: number) => void;
}

export interface BacktestResult {
  transitions: ConditionTransition[];
  /** Conditions still firing at the end. */
  firingAtEnd: Array<{ slo: string; severity: Severity; since: number }>;
  /** SLOs whose history could not be read, with the reason. */
  failures: Array<{ slo: string; error: string }>;
  steps: number;
}

/**
 * Replays the alert conditions over history with the daemon's own machinery (the same queries, buckets and
 * evaluation, each SLO's history read in the same two range queries) before any grouping or inhibition.
 */
export async function backtest(request: BacktestRequest): Promise<BacktestResult> {
  const { settings, step, from, to } = request;
  if (step % settings.bucket !== 0) throw new Error(`step ${step}s must be a multiple of the bucket size ${settings.bucket}s`);
  const start = Math.ceil(from / step) * step;
  const end = Math.floor(to / step) * step;
  if (end < start) throw new Error('the range holds no evaluation step: --to must be after --from');
  const ledger = new MemoryLedger();
  const replaySettings = { ...settings, lateness: 0 };
  const transitions: ConditionTransition[] = [];
  const firingAtEnd: BacktestResult['firingAtEnd'] = [];
  const failures: BacktestResult['failures'] = [];
  let done = 0;
  await mapConcurrent(request.slos, request.concurrency, async (slo) => {
    let synced: SyncResult;
    try {
      synced = await syncBuckets(slo, ledger, request.backend, end, start, replaySettings);
    } catch (error) {
      failures.push({ slo: slo.name, error: error instanceof Error ? error.message : String(error) });
      return;
    }
    const replay = replaySlo(slo, ledger, synced, start, end, step);
    transitions.push(...replay.transitions);
    firingAtEnd.push(...replay.firingAtEnd);
    request.onProgress?.(++done, request.slos.length);
  });
  transitions.sort((a, b) => a.at - b.at || a.slo.localeCompare(b.slo) || a.severity.localeCompare(b.severity));
  return { transitions, firingAtEnd, failures, steps: (end - start) / step + 1 };
}

function replaySlo(slo: Slo, ledger: MemoryLedger, synced: SyncResult, start: number, end: number, step: number) {
  const active = new Map<Severity, number>();
  const transitions: ConditionTransition[] = [];
  for (let at = start; at <= end; at += step) {
    const counts = ledger.windowCounts(slo.name, at, [slo.window]).get(slo.window)!;
    const evaluation = evaluateSlo(slo, at, synced.windowsAt.get(at) ?? new Map(), counts, undefined, synced.method);
    for (const decision of evaluation.severities) {
      const transition = conditionTransition(slo.name, decision.severity, active.has(decision.severity), decision.state, at);
      if (!transition) continue;
      transitions.push(transition);
      if (transition.state === 'firing') active.set(decision.severity, at);
      else active.delete(decision.severity);
    }
  }
  return { transitions, firingAtEnd: [...active].map(([severity, since]) => ({ slo: slo.name, severity, since })) };
}
