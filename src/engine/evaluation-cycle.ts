import type { MetricBackend } from '../backends/backend.js';
import { withPending, type BucketLedger } from '../ledger/bucket-ledger.js';
import type { Slo } from '../slo/model.js';
import { mapConcurrent } from '../util/map-concurrent.js';
import { bucketMethod } from './counter-buckets.js';
import { evaluateSlo, type SloEvaluation } from './slo-evaluation.js';
import { syncBuckets, type BucketSettings } from './sync-buckets.js';
import type { WriteTurn } from '../store/write-turn.js';

export interface EngineParts {
  slos: readonly Slo[];
  backend: MetricBackend;
  ledger: BucketLedger;
  settings: BucketSettings;
  /** SLOs synced at once. */
  concurrency: number;
  /** Turns for the ledger's writes with another thread writing the database (the embedded store's ingest worker). */
  writeTurn?: WriteTurn;
}

export interface CycleResult {
  at: number;
  /** Evaluations in time order: replayed steps first (when `from` < `at`), then `at`. */
  evaluations: SloEvaluation[];
  /** Backend queries this cycle made. */
  queries: number;
}

/**
 * Evaluates every SLO at bucket end `at`, and at each earlier step from `from` on (a replay of steps
 * missed while down). Each SLO is brought up to date on its own: a failing query marks that SLO
 * `backend_error` at `at` and the others go on.
 */
export async function runCycle(parts: EngineParts, at: number, from = at, signal?: AbortSignal): Promise<CycleResult> {
  const { bucket } = parts.settings;
  if (at % bucket !== 0) throw new Error(`evaluation time ${at} is not a multiple of the bucket (${bucket}s)`);
  let queries = 0;
  const perSlo = await mapConcurrent(parts.slos, parts.concurrency, async (slo) => {
    const recorded = (time: number) => parts.ledger.windowCounts(slo.name, time, [slo.window]).get(slo.window)!;
    try {
      const result = await syncBuckets(slo, parts.ledger, parts.backend, at, from, parts.settings, signal, parts.writeTurn);
      queries += result.queries;
      const budgetAt = (time: number) => withPending(recorded(time), result.provisional, time, slo.window);
      return [...result.windowsAt]
        .sort(([a], [b]) => a - b)
        .map(([time, counts]) => evaluateSlo(slo, time, counts, budgetAt(time), undefined, result.method))
        .map((evaluation) => (evaluation.at === at && result.gaps > 0 ? { ...evaluation, budget: { ...evaluation.budget, uncountedGaps: result.gaps } } : evaluation));
    } catch (error) {
      queries += 2;
      const failure = error instanceof Error ? error.message : String(error);
      return [evaluateSlo(slo, at, new Map(), recorded(at), failure, bucketMethod(slo.indicator, parts.backend, parts.settings.bucket))];
    }
  });
  const evaluations = perSlo.flat().sort((a, b) => a.at - b.at);
  return { at, evaluations, queries };
}
