import type { MetricBackend } from '../backends/backend.js';
import type { BucketLedger } from '../ledger/bucket-ledger.js';
import type { Slo } from '../slo/model.js';
import { mapConcurrent } from '../util/map-concurrent.js';
import { evaluateSlo, windowsToRead, type SloEvaluation } from './slo-evaluation.js';
import { syncBuckets, type BucketSettings } from './sync-buckets.js';

export interface EngineParts {
  slos: readonly Slo[];
  backend: MetricBackend;
  ledger: BucketLedger;
  settings: BucketSettings;
  /** SLOs synced at once. */
  concurrency: number;
}

export interface CycleResult {
  at: number;
  evaluations: SloEvaluation[];
  /** Backend queries this cycle made. */
  queries: number;
}

/**
 * One evaluation of every SLO at bucket end `at`. Each SLO is brought up to date and evaluated on its
 * own: a failing query marks that SLO `backend_error` and the others go on.
 */
export async function runCycle(parts: EngineParts, at: number, signal?: AbortSignal): Promise<CycleResult> {
  if (at % parts.settings.bucket !== 0) throw new Error(`evaluation time ${at} is not a multiple of the bucket (${parts.settings.bucket}s)`);
  let queries = 0;
  const evaluations = await mapConcurrent(parts.slos, parts.concurrency, async (slo) => {
    let failure: string | undefined;
    try {
      const result = await syncBuckets(slo, parts.ledger, parts.backend, at, parts.settings, signal);
      queries += result.queries;
    } catch (error) {
      queries += 2;
      failure = error instanceof Error ? error.message : String(error);
    }
    return evaluateSlo(slo, at, parts.ledger.windowCounts(slo.name, at, windowsToRead(slo)), failure);
  });
  return { at, evaluations, queries };
}
