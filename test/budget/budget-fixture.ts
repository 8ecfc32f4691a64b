import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { realisticScrapes, type RealisticScrapes, type ScrapedService } from '../support/realistic-scrapes.js';

export const day = 86_400;
const hour = 3600;

/** Four days of history ending at a time that is not on a whole minute, an incident of two hours on day 2. */
export const hourSeconds = hour;
export const scenarioStart = () => start;
export const scenarioEnd = Date.parse('2026-11-20T00:00:00Z') / 1000 + 1234.567;
const start = scenarioEnd - 4 * day;
const incident = { from: start + day + 9 * hour, to: start + day + 11 * hour, errorRatio: 0.01 };

function service(name: string, interval: number, extra: Partial<ScrapedService> = {}): ScrapedService {
  return { name, interval, rate: 8, instances: 2, errorsFromStart: true, errorRatio: 0.0003, incidents: [incident], ...extra };
}

export const scrapedServices: ScrapedService[] = [
  service('scrape-10s', 10),
  service('scrape-15s', 15),
  // Its 5xx series are created by the first error, a day and a half in.
  service('scrape-30s', 30, { errorsFromStart: false, errorsBegin: start + 1.5 * day }),
  // Instance 0 restarts on day 2: its counters start again from zero.
  service('scrape-60s', 60, { restart: { at: start + day + 12 * hour + 17, downFor: 45 } }),
  service('scrape-120s', 120),
  // A few requests a minute.
  service('low-traffic', 30, { rate: 0.05, instances: 1, errorRatio: 0.002, incidents: [{ ...incident, errorRatio: 0.05 }] }),
];

export const objectives: Readonly<Record<string, number>> = { 'low-traffic': 99 };

export function generateScenario(): RealisticScrapes {
  return realisticScrapes({ end: scenarioEnd, days: 4, services: scrapedServices });
}

export const errorsQuery = (name: string, window = '{{window}}') => `sum(rate(http_requests_total{service="${name}",code=~"5.."}[${window}]))`;
export const totalQuery = (name: string, window = '{{window}}') => `sum(rate(http_requests_total{service="${name}"}[${window}]))`;

/** A project directory: one SLO file per service, a runbook, burnrate.yaml with the given bucket. */
export function writeProject(dir: string, options: { bucket?: string } = {}): string {
  mkdirSync(join(dir, 'slos'), { recursive: true });
  mkdirSync(join(dir, 'runbooks'), { recursive: true });
  writeFileSync(join(dir, 'runbooks', 'budget.md'), '# Budget\n\nLook at the dashboard.\n');
  for (const { name } of scrapedServices) {
    writeFileSync(
      join(dir, 'slos', `${name}.yaml`),
      [
        'apiVersion: burnrate/v1',
        'kind: SLO',
        'metadata:',
        `  name: ${name}`,
        `  service: ${name}`,
        'spec:',
        `  objective: ${objectives[name] ?? 99.9}`,
        '  window: 30d',
        '  indicator:',
        '    ratio:',
        `      errors: '${errorsQuery(name)}'`,
        `      total: '${totalQuery(name)}'`,
        '  alerting:',
        '    page: {runbook: budget.md}',
        '    ticket: {runbook: budget.md}',
        '',
      ].join('\n'),
    );
  }
  const config = join(dir, 'burnrate.yaml');
  writeFileSync(
    config,
    ['apiVersion: burnrate/v1', 'kind: Config', 'database: burnrate.db', 'slos: slos', 'runbooks: runbooks', ...(options.bucket ? ['evaluation:', `  bucket: ${options.bucket}`] : []), ''].join('\n'),
  );
  return config;
}

/** Budget remaining from counts, as burnrate defines it. */
export function remainingFrom(counts: { errors: number; total: number }, objective: number): number {
  return 1 - counts.errors / counts.total / (1 - objective / 100);
}
