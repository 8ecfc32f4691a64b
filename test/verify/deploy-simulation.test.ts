import { describe, expect, it } from 'vitest';
import { defaultComparison, defaultMinEvents } from '../../src/core/error-ratio-comparison.js';
import { simulateDeploys, type DeployScenario } from '../support/deploy-simulation.js';

/**
 * The comparison on simulated traffic, looked at once a minute for the half hour after each deploy as the daemon
 * does: healthy deploys rarely fail, a fivefold regression fails within minutes, low traffic waits for events.
 */
const checkout: DeployScenario = {
  deploys: 500,
  seed: 20_261_207,
  requestsPerSecond: 50,
  objectivePercent: 99.9,
  ratioBefore: 0.001,
  ratioAfter: 0.001,
  diurnalAmplitude: 0.5,
  watchMinutes: 30,
  policy: { ...defaultComparison, minEvents: defaultMinEvents(99.9) },
};

describe('deploy verification on simulated traffic', () => {
  it('at most 1% of 500 healthy deploys fail any of their 30 looks', () => {
    const outcomes = simulateDeploys(checkout);
    const failed = outcomes.filter((o) => o.verdict === 'fail').length;
    console.log(`healthy deploys: ${failed} of ${outcomes.length} failed (${((100 * failed) / outcomes.length).toFixed(1)}%)`);
    expect(failed).toBeLessThanOrEqual(5);
    // The rest were decided, and passed: 50 requests/s bring the 5,000 events a side within the half hour.
    expect(outcomes.filter((o) => o.verdict === 'pass')).toHaveLength(outcomes.length - failed);
  });

  it('a deploy that lifts the error ratio from 0.1% to 0.5% at 50 requests/s fails within 10 minutes, every time', () => {
    const outcomes = simulateDeploys({ ...checkout, ratioAfter: 0.005 });
    const minutes = outcomes.map((o) => o.failedAfter ?? Number.POSITIVE_INFINITY);
    expect(Math.max(...minutes)).toBeLessThanOrEqual(10);
  });

  it('a service at 1 request/s is inconclusive, never failed, until each side has its 5,000 events; then it decides', () => {
    const quiet = { ...checkout, requestsPerSecond: 1, watchMinutes: 240 };
    const healthy = simulateDeploys(quiet);
    // 5,000 events at about one a second (diurnal: more or less) take over an hour: every look before is inconclusive.
    expect(Math.min(...healthy.map((o) => o.decidedAfter ?? Number.POSITIVE_INFINITY))).toBeGreaterThan(50);
    // Once decided, healthy deploys fail no more often than at 50 requests/s.
    expect(healthy.filter((o) => o.verdict === 'fail').length).toBeLessThanOrEqual(5);
    const regressed = simulateDeploys({ ...quiet, ratioAfter: 0.02 });
    for (const outcome of regressed) {
      expect(outcome.verdict).toBe('fail');
      expect(outcome.failedAfter).toBe(outcome.decidedAfter);
    }
  });
});
