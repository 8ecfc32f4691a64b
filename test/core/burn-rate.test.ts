import { describe, expect, it } from 'vitest';
import { assessWindow, decideSeverities, type WindowCounts } from '../../src/core/burn-rate.js';
import { testSlo } from '../support/slo-fixture.js';

const hour = 3600;
const slo = testSlo({ objective: 99.9, minEvents: 100 });

/** Counts for every workbook window at one error ratio. */
function uniform(errorRatio: number, total = 100_000, coverage = 1): Map<number, WindowCounts> {
  const windows = [300, 1800, hour, 2 * hour, 6 * hour, 24 * hour, 3 * 24 * hour];
  return new Map(windows.map((w) => [w, { errors: errorRatio * total, total, coverage }]));
}

function states(counts: Map<number, WindowCounts>) {
  return Object.fromEntries(decideSeverities(slo, counts).map((d) => [d.severity, d.state]));
}

describe('window assessment', () => {
  it.each([
    ['no events is insufficient data, not 0% errors', { errors: 0, total: 0, coverage: 1 }, 'insufficient_data', null],
    ['NaN counts are insufficient data', { errors: Number.NaN, total: 10, coverage: 1 }, 'insufficient_data', null],
    ['an infinite total is insufficient data, never an infinite burn', { errors: 1, total: Infinity, coverage: 1 }, 'insufficient_data', null],
    ['less than half the window covered is insufficient data', { errors: 1, total: 1000, coverage: 0.4 }, 'insufficient_data', 1],
    ['fewer events than minEvents is low traffic', { errors: 1, total: 10, coverage: 1 }, 'low_traffic', 100],
    ['enough events is ok and the burn is event-weighted', { errors: 5, total: 1000, coverage: 1 }, 'ok', 5],
  ])('%s', (_sentence, counts, status, burnRate) => {
    const assessment = assessWindow(hour, counts, 99.9, 100);
    expect(assessment.status).toBe(status);
    if (burnRate === null) expect(assessment.burnRate).toBeNull();
    else expect(assessment.burnRate).toBeCloseTo(burnRate, 9);
  });
});

describe('multiwindow multi-burn-rate decision', () => {
  it.each([
    ['a healthy service fires nothing', uniform(0.0001), { page: 'ok', ticket: 'ok' }],
    ['a 100% outage fires both tiers', uniform(1), { page: 'firing', ticket: 'firing' }],
    ['a burn of 6.5x fires the 6h page pair but not the 1h one', uniform(0.0065), { page: 'firing', ticket: 'firing' }],
    ['a burn of 2x fires only the 3d ticket pair', uniform(0.002), { page: 'ok', ticket: 'firing' }],
    ['exactly at the 14.4x threshold fires (>=)', uniform(0.0144), { page: 'firing', ticket: 'firing' }],
    ['no data anywhere is unknown, not ok', uniform(0, 0), { page: 'unknown', ticket: 'unknown' }],
    ['low traffic cannot trigger a page even at 100% errors', uniform(1, 50), { page: 'ok', ticket: 'ok' }],
  ])('%s', (_sentence, counts, expected) => {
    expect(states(counts)).toEqual(expected);
  });

  it('needs both windows of a pair: a long window burning while the short one recovered does not fire', () => {
    const counts = uniform(0.0001);
    counts.set(hour, { errors: 2000, total: 100_000, coverage: 1 }); // 20x over 1h
    counts.set(300, { errors: 0, total: 100_000, coverage: 1 }); // recovered in the last 5m
    expect(states(counts).page).toBe('ok');
  });

  it('a pair with one window clearly below threshold is ok even when the other has no data', () => {
    const counts = uniform(0.0001);
    counts.set(300, { errors: 0, total: 0, coverage: 0 });
    expect(states(counts).page).toBe('ok');
  });

  it('a pair whose burning long window meets a short window without data is unknown', () => {
    const counts = uniform(1);
    counts.set(300, { errors: 0, total: 0, coverage: 0 });
    counts.set(1800, { errors: 0, total: 0, coverage: 0 });
    expect(states(counts).page).toBe('unknown');
  });
});
