import { makePair } from '../../src/core/windows.js';
import { workbookWindows } from '../../src/core/window-presets.js';
import { parseDuration } from '../../src/core/duration.js';
import type { Slo } from '../../src/slo/model.js';

/** A workbook-default SLO built in code, for engine tests that are not about file loading. */
export function testSlo(overrides: Partial<Omit<Slo, 'alerting'>> & { minEvents?: number; name?: string } = {}): Slo {
  const window = overrides.window ?? 30 * 86_400;
  const name = overrides.name ?? 'checkout-availability';
  return {
    name,
    service: overrides.service ?? 'checkout',
    labels: overrides.labels ?? {},
    description: '',
    objective: overrides.objective ?? 99.9,
    window,
    indicator: overrides.indicator ?? {
      numeratorKind: 'errors',
      numerator: { template: `sum(rate(http_requests_total{service="checkout",code=~"5.."}[{{window}}]))`, unit: 'per_second' },
      total: { template: `sum(rate(http_requests_total{service="checkout"}[{{window}}]))`, unit: 'per_second' },
    },
    alerting: {
      minEvents: overrides.minEvents ?? 0,
      tiers: { page: { runbook: 'checkout.md', for: 0 }, ticket: { runbook: 'checkout.md', for: 0 } },
      pairs: workbookWindows.map((preset) =>
        makePair(preset.severity, parseDuration(preset.long)!, parseDuration(preset.short)!, preset.budgetPercent / 100, window),
      ),
    },
    source: { file: 'test.yaml', line: 1, column: 1 },
  };
}
