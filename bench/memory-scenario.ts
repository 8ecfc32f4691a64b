import { createMemoryBackend, type SyntheticValue } from '../src/backends/memory-backend.js';
import type { Slo } from '../src/slo/model.js';
import { measureEngine, type EngineRun } from './engine-cycles.js';
import { runNaiveCycle } from './naive-cycle.js';
import { benchConcurrency, benchSettings } from './settings.js';
import { timed } from './stats.js';
import { openTempLedger } from './temp-ledger.js';

export interface MemoryScenario {
  engine: EngineRun;
  naive: { millis: number; queries: number; backendRequests: number; ok: number }[];
}

/** Ten requests a second, one in a thousand failing: what every synthetic query answers. */
export const syntheticValue: SyntheticValue = (expr) => (expr.includes('code=') ? 0.01 : 10);

/** The engine alone: a backend that answers at once, the real SQLite ledger; then the naive re-read for comparison. */
export async function engineInMemory(slos: readonly Slo[], at: number, steadyCycles: number, naiveCycles: number): Promise<MemoryScenario> {
  const backend = createMemoryBackend({ value: syntheticValue });
  const temp = openTempLedger();
  try {
    const settings = benchSettings();
    const last = Math.floor(at / settings.bucket) * settings.bucket;
    const engine = await measureEngine(
      { slos, backend, ledger: temp.ledger, settings, concurrency: benchConcurrency },
      { startAt: last - steadyCycles * settings.bucket, steadyCycles, requestCounter: () => Promise.resolve(backend.queryCount) },
    );
    const naive: MemoryScenario['naive'] = [];
    for (let k = 0; k < naiveCycles; k += 1) {
      const before = backend.queryCount;
      const { millis, result } = await timed(() => runNaiveCycle(slos, backend, last, benchConcurrency));
      const ok = result.evaluations.filter((evaluation) => evaluation.status === 'ok').length;
      naive.push({ millis, queries: result.queries, backendRequests: backend.queryCount - before, ok });
    }
    return { engine, naive };
  } finally {
    temp.remove();
    await backend.close();
  }
}
