import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeScenarioOpenMetrics, type ScenarioOptions, type ScenarioOutput } from '../../src/demo/index.js';

export interface ScenarioFile extends ScenarioOutput {
  path: string;
  remove(): Promise<void>;
}

/** Writes the synthetic scenario to a temporary OpenMetrics file. */
export async function writeScenarioFile(options: ScenarioOptions): Promise<ScenarioFile> {
  const dir = await mkdtemp(join(tmpdir(), 'burnrate-scenario-'));
  const path = join(dir, 'scenario.om');
  const output = await writeScenarioOpenMetrics(path, options);
  return { ...output, path, remove: () => rm(dir, { recursive: true, force: true }) };
}
