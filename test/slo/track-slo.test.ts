import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadSlos } from '../../src/slo/load.js';
import { trackSlo } from '../../src/slo/track-slo.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures');
const { slos } = loadSlos([join(fixtures, 'good')], { runbookDir: join(fixtures, 'runbooks') });
const slo = (name: string) => slos.find((s) => s.name === name)!;

describe('the SLO of one track', () => {
  test('has both queries narrowed by the track selector, and everything else as the SLO has it', () => {
    const canary = trackSlo(slo('api-canary'), 'canary');
    expect(canary.indicator.numerator.template).toBe('sum(rate(http_requests_total{service="api",code=~"5..", track="canary"}[{{window}}]))');
    expect(canary.indicator.total.template).toBe('sum(rate(http_requests_total{service="api", track="canary"}[{{window}}]))');
    expect(trackSlo(slo('api-canary'), 'stable').indicator.total.template).toBe('sum(rate(http_requests_total{service="api", track!="canary"}[{{window}}]))');
    const { indicator: _narrowed, ...rest } = canary;
    const { indicator: _own, ...original } = slo('api-canary');
    expect(rest).toEqual(original);
    expect(canary.indicator.numerator.unit).toBe('per_second');
  });

  test('is refused for an SLO without spec.tracks', () => {
    expect(() => trackSlo(slo('api-availability'), 'canary')).toThrow('SLO api-availability declares no spec.tracks');
  });
});
