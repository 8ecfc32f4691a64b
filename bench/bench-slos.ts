import { parseDuration } from '../src/core/duration.js';
import { workbookWindows } from '../src/core/window-presets.js';
import { makePair } from '../src/core/windows.js';
import type { Slo } from '../src/slo/model.js';

/** The synthetic series every bench SLO reads: one request counter per service, route and status code. */
export interface SeriesSpace {
  services: number;
  routes: number;
}

export const benchMetric = 'http_requests_total';
export const benchCodes = ['200', '429', '500'] as const;

const objectives = [99.9, 99.5, 99.95, 99, 99.99] as const;
const errorMatchers = ['code="500"', 'code=~"429|5.."'] as const;
const sloWindow = 30 * 86_400;

export const serviceName = (index: number): string => `svc-${String(index).padStart(3, '0')}`;
export const routeName = (index: number): string => `/r${index}`;

/** Number of distinct (service, route) pairs, i.e. series per status code. */
export const pairCount = (space: SeriesSpace): number => space.services * space.routes;

/**
 * `count` workbook-default 30d SLOs spread over the series space: SLO i reads pair i mod pairs, and its
 * variant (i div pairs) picks the error matcher and the objective, so no two SLOs are alike.
 */
export function benchSlos(count: number, space: SeriesSpace): Slo[] {
  const pairs = workbookWindows.map((preset) =>
    makePair(preset.severity, parseDuration(preset.long)!, parseDuration(preset.short)!, preset.budgetPercent / 100, sloWindow),
  );
  return Array.from({ length: count }, (_, i): Slo => {
    const pair = i % pairCount(space);
    const variant = Math.floor(i / pairCount(space));
    const service = serviceName(pair % space.services);
    const route = routeName(Math.floor(pair / space.services));
    const selector = `service="${service}",route="${route}"`;
    const errors = errorMatchers[variant % errorMatchers.length]!;
    return {
      name: `${service}-r${Math.floor(pair / space.services)}-availability-v${variant}`,
      service,
      labels: {},
      description: '',
      objective: objectives[Math.floor(variant / errorMatchers.length) % objectives.length]!,
      window: sloWindow,
      indicator: {
        numeratorKind: 'errors',
        numerator: { template: `sum(rate(${benchMetric}{${selector},${errors}}[{{window}}]))`, unit: 'per_second' },
        total: { template: `sum(rate(${benchMetric}{${selector}}[{{window}}]))`, unit: 'per_second' },
      },
      alerting: {
        minEvents: 0,
        tiers: { page: { runbook: 'bench.md', for: 0 }, ticket: { runbook: 'bench.md', for: 0 } },
        pairs,
      },
      source: { file: 'bench', line: 1, column: 1 },
    };
  });
}
