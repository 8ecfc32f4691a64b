import { compareErrorRatios, type ComparisonPolicy, type EventCounts, type Verdict } from '../../src/core/error-ratio-comparison.js';
import { binomial, deriveSeed, poisson, seededRandom } from '../../src/demo/random.js';

/**
 * Deploys on simulated traffic, watched the way the daemon watches them: a comparison every minute after the
 * deploy, of the minutes since it against as many minutes right before it, until a fail or the end of the watch.
 * Requests per minute are Poisson around a diurnal curve (a random hour of the day for each deploy), errors
 * binomial in the requests at the ratio in force; the deploy changes the ratio (or not) at minute 0.
 */
export interface DeployScenario {
  deploys: number;
  seed: number;
  requestsPerSecond: number;
  objectivePercent: number;
  ratioBefore: number;
  ratioAfter: number;
  /** Share of the daily mean by which traffic swings (0.5: between 50% and 150% of the mean). */
  diurnalAmplitude: number;
  watchMinutes: number;
  policy: ComparisonPolicy;
}

export interface DeployOutcome {
  verdict: Verdict;
  /** Minutes after the deploy of the first look that failed, or undefined. */
  failedAfter: number | undefined;
  /** Minutes after the deploy of the first look that was not inconclusive, or undefined. */
  decidedAfter: number | undefined;
}

export function simulateDeploys(scenario: DeployScenario): DeployOutcome[] {
  const outcomes: DeployOutcome[] = [];
  for (let d = 0; d < scenario.deploys; d++) outcomes.push(simulateDeploy(scenario, deriveSeed(scenario.seed, d)));
  return outcomes;
}

function simulateDeploy(s: DeployScenario, seed: number): DeployOutcome {
  const random = seededRandom(seed);
  const hourOfDay = random.next() * 24;
  const minute = (offset: number, ratio: number): EventCounts => {
    const hour = hourOfDay + offset / 60;
    const mean = s.requestsPerSecond * 60 * (1 + s.diurnalAmplitude * Math.sin((2 * Math.PI * hour) / 24));
    const total = poisson(random, mean);
    return { errors: binomial(random, total, ratio), total };
  };
  const before: EventCounts[] = [];
  for (let m = -s.watchMinutes; m < 0; m++) before.push(minute(m, s.ratioBefore));
  const after: EventCounts[] = [];
  for (let m = 0; m < s.watchMinutes; m++) after.push(minute(m, s.ratioAfter));
  let decidedAfter: number | undefined;
  let verdict: Verdict = 'inconclusive';
  for (let look = 1; look <= s.watchMinutes; look++) {
    const comparison = compareErrorRatios(sum(before.slice(-look)), sum(after.slice(0, look)), s.objectivePercent, s.policy);
    verdict = comparison.verdict;
    if (verdict !== 'inconclusive') decidedAfter ??= look;
    if (verdict === 'fail') return { verdict, failedAfter: look, decidedAfter };
  }
  return { verdict, failedAfter: undefined, decidedAfter };
}

const sum = (minutes: readonly EventCounts[]): EventCounts =>
  minutes.reduce((all, one) => ({ errors: all.errors + one.errors, total: all.total + one.total }), { errors: 0, total: 0 });
