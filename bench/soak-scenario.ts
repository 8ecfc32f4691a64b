import { fileURLToPath } from 'node:url';
import { runSoak, soakSummary, soakTargets, type SoakTarget } from '../test/support/soak-run.js';

// The compiled bench runs from node_modules/.cache/burnrate-bench/bench/; the soak's child scripts stay in the repo.
const supportDir = fileURLToPath(new URL('../../../../test/support/', import.meta.url));

export interface SoakBenchResult {
  summary: string;
  missed: SoakTarget[];
}

/** The full-length soak (six simulated hours in 3 minutes), or a quarter of it with --quick. */
export async function soakBench(quick: boolean): Promise<SoakBenchResult> {
  const figures = await runSoak({ cycles: quick ? 18 : 72, slotMs: 2500, supportDir });
  return { summary: soakSummary(figures), missed: soakTargets(figures).filter((t) => !t.met) };
}
