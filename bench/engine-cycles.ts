import { runCycle, type EngineParts } from '../src/engine/evaluation-cycle.js';
import type { SloStatus } from '../src/engine/slo-evaluation.js';
import { timed } from './stats.js';

export interface CycleFigures {
  at: number;
  millis: number;
  /** As the engine counted them (`CycleResult.queries`). */
  queries: number;
  /** As the backend counted them (HTTP requests Prometheus served, or the memory backend's count), if known. */
  backendRequests: number | undefined;
  statuses: Record<SloStatus, number>;
  /** CPU seconds the metric server spent during the cycle, if known. */
  serverCpuSeconds: number | undefined;
}

export interface EngineRun {
  startup: CycleFigures;
  steady: CycleFigures[];
}

export interface EngineRunOptions {
  /** Bucket end of the start-up cycle; steady cycles follow one bucket apart. */
  startAt: number;
  steadyCycles: number;
  /** A counter the backend keeps of requests received, read before and after each cycle. */
  requestCounter?: () => Promise<number>;
  /** The metric server's CPU seconds so far, read before and after each cycle. */
  serverCpu?: () => Promise<number>;
}

/** A start-up cycle on an empty ledger, then `steadyCycles` cycles each one bucket later. */
export async function measureEngine(parts: EngineParts, options: EngineRunOptions): Promise<EngineRun> {
  const cycle = async (at: number): Promise<CycleFigures> => {
    const before = await options.requestCounter?.();
    const cpuBefore = await options.serverCpu?.();
    const { millis, result } = await timed(() => runCycle(parts, at));
    const cpuAfter = await options.serverCpu?.();
    const after = await options.requestCounter?.();
    const statuses: Record<SloStatus, number> = { ok: 0, insufficient_data: 0, backend_error: 0 };
    for (const evaluation of result.evaluations) statuses[evaluation.status] += 1;
    const backendRequests = before === undefined || after === undefined ? undefined : after - before;
    const serverCpuSeconds = cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore;
    return { at, millis, queries: result.queries, backendRequests, statuses, serverCpuSeconds };
  };
  const startup = await cycle(options.startAt);
  const steady: CycleFigures[] = [];
  for (let k = 1; k <= options.steadyCycles; k += 1) steady.push(await cycle(options.startAt + k * parts.settings.bucket));
  return { startup, steady };
}
