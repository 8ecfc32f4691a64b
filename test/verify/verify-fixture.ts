import { appendFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { run } from '../../src/cli/main.js';
import { ManualClock } from '../../src/core/clock.js';
import { realisticScrapes, type RealisticScrapes, type ScrapedService } from '../support/realistic-scrapes.js';

/**
 * Three services deployed at once, on realistic scrapes (15 s to 60 s, unaligned, jittered): checkout's deploy
 * lifts its error ratio from 0.1% to 0.5% at 50 requests/s (a 5× burn, below both page tiers), search's deploy
 * changes nothing, and quiet serves one request a second (its ratio quadruples, on too few events to tell).
 */
export const minute = 60;
export const deployedAt = Date.parse('2026-11-24T14:03:00Z') / 1000 + 17.4;
export const scenarioEnd = deployedAt + 45 * minute;

export const verifyServices: ScrapedService[] = [
  { name: 'checkout', interval: 15, rate: 50, instances: 3, errorsFromStart: true, errorRatio: 0.001, incidents: [{ from: deployedAt, to: scenarioEnd, errorRatio: 0.005 }] },
  { name: 'search', interval: 30, rate: 50, instances: 2, errorsFromStart: false, errorRatio: 0.001, incidents: [] },
  { name: 'quiet', interval: 60, rate: 1, instances: 1, errorsFromStart: false, errorRatio: 0.001, incidents: [{ from: deployedAt, to: scenarioEnd, errorRatio: 0.004 }] },
];

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** The clock when the command returned. */
  endedAt: number;
}

/** The CLI in-process on a manual clock that its sleeps move. */
export async function cli(args: string[], now: number): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const clock = new ManualClock(now);
  const io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env: {} };
  const code = await run(args, io, clock, async (seconds) => clock.advance(seconds));
  return { code, stdout, stderr, endedAt: clock.now() };
}

export interface VerifyProject {
  dir: string;
  config: string;
  samples: string;
  scenario: RealisticScrapes;
  /** Each service's recorded deploy id. */
  deployIds: Map<string, string>;
}

/**
 * A project directory with one SLO a service, the samples ingested into its embedded store and the deploys
 * recorded; `extraConfig` is added to burnrate.yaml afterwards.
 */
export async function verifyProject(extraConfig = ''): Promise<VerifyProject> {
  const scenario = realisticScrapes({ end: scenarioEnd, days: 3 / 24, services: verifyServices, seed: 20_261_207 });
  const dir = mkdtempSync(join(tmpdir(), 'burnrate-verify-'));
  mkdirSync(join(dir, 'slos'));
  mkdirSync(join(dir, 'runbooks'));
  writeFileSync(join(dir, 'runbooks', 'availability.md'), '# Availability\n\nRoll back the last deploy.\n');
  for (const { name } of verifyServices) {
    writeFileSync(
      join(dir, 'slos', `${name}.yaml`),
      `apiVersion: burnrate/v1
kind: SLO
metadata: {name: ${name}-availability, service: ${name}}
spec:
  objective: 99.9
  window: 30d
  indicator:
    ratio:
      errors: sum(rate(http_requests_total{service="${name}",code=~"5.."}[{{window}}]))
      total: sum(rate(http_requests_total{service="${name}"}[{{window}}]))
  alerting:
    page: {runbook: availability.md}
    ticket: {runbook: availability.md}
`,
    );
  }
  const config = join(dir, 'burnrate.yaml');
  writeFileSync(config, `database: ${join(dir, 'burnrate.db')}\nslos: ${join(dir, 'slos')}\nrunbooks: ${join(dir, 'runbooks')}\n`);
  const samples = join(dir, 'samples.om');
  writeFileSync(samples, scenario.openMetrics);
  expect((await cli(['ingest', samples, '--config', config], scenarioEnd)).code).toBe(0);
  const deployIds = new Map<string, string>();
  for (const { name } of verifyServices) {
    const recorded = await cli(['deploy', 'record', '--config', config, '--service', name, '--version', 'v2.14.0', '--author', 'ana', '--finished-at', String(deployedAt)], scenarioEnd);
    expect(recorded.code, recorded.stderr).toBe(0);
    const listed = await cli(['deploy', 'ls', '--config', config, '--service', name, '--format', 'json'], scenarioEnd);
    deployIds.set(name, (JSON.parse(listed.stdout) as { deploys: Array<{ id: string }> }).deploys[0]!.id);
  }
  // Added once the project's data is in: the commands above run without the daemon's settings (its tokens' variables).
  appendFileSync(config, extraConfig);
  return { dir, config, samples, scenario, deployIds };
}
