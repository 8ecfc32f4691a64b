import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { realisticScrapes, type RealisticScrapes, type ScrapedService } from '../support/realistic-scrapes.js';
import { cli, minute } from './verify-fixture.js';

/**
 * Canaries on realistic scrapes (15 s and 30 s, unaligned, jittered), 50 requests/s a service with a tenth of it on
 * the canary: shop's canary serves 2% errors from its deploy on while stable serves 0.1%; cart's canary is as
 * healthy as its stable track; search declares no tracks. At midnight UTC the generator's diurnal swing is at its
 * mean, so each canary serves about 5 requests/s and needs about 17 minutes for its 5,000 events.
 */
export const deployedAt = Date.parse('2026-11-25T00:03:00Z') / 1000 + 17.4;
export const scenarioEnd = deployedAt + 45 * minute;

const track = (service: string, name: string, interval: number, rate: number, instances: number, errorRatio: number, afterDeploy = errorRatio): ScrapedService => ({
  name: `${service}-${name}`,
  labels: { service, track: name },
  interval,
  rate,
  instances,
  errorsFromStart: true,
  errorRatio,
  incidents: afterDeploy === errorRatio ? [] : [{ from: deployedAt, to: scenarioEnd, errorRatio: afterDeploy }],
});

export const canaryServices: ScrapedService[] = [
  track('shop', 'canary', 15, 5, 1, 0.001, 0.02),
  track('shop', 'stable', 15, 45, 3, 0.001),
  track('cart', 'canary', 30, 5, 1, 0.001),
  track('cart', 'stable', 30, 45, 3, 0.001),
  { name: 'search', interval: 30, rate: 50, instances: 2, errorsFromStart: false, errorRatio: 0.001, incidents: [] },
];

const sloFile = (service: string, tracks: boolean) => `apiVersion: burnrate/v1
kind: SLO
metadata: {name: ${service}-availability, service: ${service}}
spec:
  objective: 99.9
  window: 30d
  indicator:
    ratio:
      errors: sum(rate(http_requests_total{service="${service}",code=~"5.."}[{{window}}]))
      total: sum(rate(http_requests_total{service="${service}"}[{{window}}]))
  alerting:
    page: {runbook: availability.md}
${tracks ? `  tracks:\n    canary: '{track="canary"}'\n    stable: '{track="stable"}'\n` : ''}`;

export interface CanaryProject {
  dir: string;
  config: string;
  samples: string;
  scenario: RealisticScrapes;
}

/** A project with shop, cart and search's SLOs, the samples in its embedded store and each service's deploy recorded. */
export async function canaryProject(extraConfig = ''): Promise<CanaryProject> {
  const scenario = realisticScrapes({ end: scenarioEnd, days: 3 / 24, services: canaryServices, seed: 20_261_125 });
  const dir = mkdtempSync(join(tmpdir(), 'burnrate-canary-'));
  mkdirSync(join(dir, 'slos'));
  mkdirSync(join(dir, 'runbooks'));
  writeFileSync(join(dir, 'runbooks', 'availability.md'), '# Availability\n\nRoll the canary back.\n');
  for (const service of ['shop', 'cart', 'search']) writeFileSync(join(dir, 'slos', `${service}.yaml`), sloFile(service, service !== 'search'));
  const config = join(dir, 'burnrate.yaml');
  writeFileSync(config, `database: ${join(dir, 'burnrate.db')}\nslos: ${join(dir, 'slos')}\nrunbooks: ${join(dir, 'runbooks')}\n`);
  const samples = join(dir, 'samples.om');
  writeFileSync(samples, scenario.openMetrics);
  expect((await cli(['ingest', samples, '--config', config], scenarioEnd)).code).toBe(0);
  for (const service of ['shop', 'cart', 'search']) {
    const recorded = await cli(['deploy', 'record', '--config', config, '--service', service, '--version', 'v3.1.0-canary', '--finished-at', String(deployedAt)], scenarioEnd);
    expect(recorded.code, recorded.stderr).toBe(0);
  }
  if (extraConfig !== '') writeFileSync(config, `${extraConfig}\n`, { flag: 'a' });
  return { dir, config, samples, scenario };
}
