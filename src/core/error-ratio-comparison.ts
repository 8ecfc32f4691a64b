import { binomialUpperTail } from './binomial-tail.js';

/** Events of one population: after a deploy, before it, the canary, the stable track. */
export interface EventCounts {
  errors: number;
  total: number;
}

/** When a higher error ratio is a regression: significant and big enough to matter, with enough events to tell. */
export interface ComparisonPolicy {
  /** 1 − the false-fail probability of one comparison, e.g. 0.999. */
  confidence: number;
  /** Events each population needs before a verdict other than inconclusive. */
  minEvents: number;
  /** The candidate's burn rate must reach this to matter (1: it spends budget faster than the SLO allows). */
  minBurnRate: number;
  /** The candidate's ratio must exceed the baseline's by this share (0.5: 50% higher). */
  minRelativeIncrease: number;
}

/**
 * The defaults, for a comparison made once a minute for half an hour after a deploy: 99.9% confidence each time
 * keeps the chance that a healthy deploy fails any of the 30 looks near 0.5% (npm run bench -- --only verify).
 */
export const defaultComparison = { confidence: 0.999, minBurnRate: 1, minRelativeIncrease: 0.5 } as const;

export type Verdict = 'pass' | 'fail' | 'inconclusive';

export interface RatioFigures extends EventCounts {
  /** errors / total; null without events. */
  ratio: number | null;
  /** ratio / (1 − objective); null without events. */
  burnRate: number | null;
}

export interface Comparison {
  verdict: Verdict;
  /** One sentence: why this verdict. */
  reason: string;
  baseline: RatioFigures;
  candidate: RatioFigures;
  /** P(a candidate this much worse | the two ratios are equal); null when there was nothing to test. */
  pValue: number | null;
  /** 1 − pValue: how sure the candidate's ratio is higher. */
  confidence: number | null;
  /** candidate ratio / baseline ratio − 1; null without events, Infinity from a baseline with no errors. */
  relativeIncrease: number | null;
}

/**
 * The default events each side needs: enough that an SLO-compliant service is expected to show 5 errors, so a
 * 99.9% SLO needs 5,000 events and a 99% SLO 500. Below that, a handful of errors is all noise.
 */
export const defaultMinEvents = (objectivePercent: number): number => Math.ceil(Number((5 / (1 - objectivePercent / 100)).toPrecision(12)));

function figures(counts: EventCounts, objectivePercent: number): RatioFigures {
  const ratio = counts.total > 0 ? counts.errors / counts.total : null;
  return { ...counts, ratio, burnRate: ratio === null ? null : ratio / (1 - objectivePercent / 100) };
}

/**
 * The one-sided test that the candidate's error ratio exceeds the baseline's. Errors are rare events: given the
 * k errors of both populations together, the candidate's share follows Binomial(k, n_c / (n_c + n_b)) when the
 * ratios are equal (the exact conditional test of two Poisson rates), so the p-value is the chance of at least
 * the candidate's errors. It weighs traffic volume by construction and needs no normal approximation, so it holds
 * for a handful of errors; for error ratios of several percent it is slightly conservative.
 */
export function regressionPValue(baseline: EventCounts, candidate: EventCounts): number {
  const k = baseline.errors + candidate.errors;
  const n = baseline.total + candidate.total;
  if (k <= 0 || n <= 0) return 1;
  return binomialUpperTail(candidate.errors, k, candidate.total / n);
}

/** How sure, as pages show it: `99.92%`, `>99.99%` beyond what two decimals can tell. */
export const formatConfidence = (confidence: number): string => (confidence > 0.9999 ? '>99.99%' : `${(confidence * 100).toFixed(2)}%`);

const percent = (ratio: number | null): string => (ratio === null ? 'n/a' : `${(ratio * 100).toPrecision(3)}%`);
const count = (value: number): string => Math.round(value).toLocaleString('en-US');

/** How the reasons name two populations other than after and before a deploy, e.g. `in the canary`, `in stable`. */
export interface PopulationNames {
  candidate: string;
  baseline: string;
}

/**
 * Whether `candidate` regressed against `baseline` for an SLO with `objectivePercent`. Without `names` the reasons
 * speak of a deploy ("540 events after, 600 before"); with them each side is named by them, ratios included.
 */
export function compareErrorRatios(baseline: EventCounts, candidate: EventCounts, objectivePercent: number, policy: ComparisonPolicy, names?: PopulationNames): Comparison {
  const before = figures(baseline, objectivePercent);
  const after = figures(candidate, objectivePercent);
  const tag = (name: string | undefined) => (name === undefined ? '' : ` ${name}`);
  const both = `${percent(after.ratio)} (${count(candidate.errors)} of ${count(candidate.total)})${tag(names?.candidate)} against ${percent(before.ratio)} (${count(baseline.errors)} of ${count(baseline.total)})${tag(names?.baseline)}`;
  if (candidate.total < policy.minEvents || baseline.total < policy.minEvents) {
    const sides = names ?? { candidate: 'after', baseline: 'before' };
    return {
      verdict: 'inconclusive',
      reason: `not enough traffic: ${count(candidate.total)} events ${sides.candidate}, ${count(baseline.total)} ${sides.baseline}; ${count(policy.minEvents)} needed on each side`,
      baseline: before,
      candidate: after,
      pValue: null,
      confidence: null,
      relativeIncrease: null,
    };
  }
  const pValue = regressionPValue(baseline, candidate);
  const confidence = 1 - pValue;
  const relativeIncrease = before.ratio! > 0 ? after.ratio! / before.ratio! - 1 : after.ratio! > 0 ? Number.POSITIVE_INFINITY : 0;
  const significant = pValue <= 1 - policy.confidence;
  const material = after.burnRate! >= policy.minBurnRate && relativeIncrease >= policy.minRelativeIncrease;
  const sure = `${formatConfidence(confidence)} confidence`;
  const result = { baseline: before, candidate: after, pValue, confidence, relativeIncrease };
  if (significant && material) {
    return { verdict: 'fail', reason: `error ratio ${both}, burn rate ${after.burnRate!.toPrecision(3)}×, higher with ${sure}`, ...result };
  }
  const why =
    baseline.errors + candidate.errors === 0
      ? 'no errors on either side'
      : after.ratio! <= before.ratio!
        ? 'not higher'
        : !significant
          ? `not significantly higher (${sure}, ${(policy.confidence * 100).toPrecision(4)}% needed)`
          : after.burnRate! < policy.minBurnRate
            ? `burn rate ${after.burnRate!.toPrecision(3)}× is below ${policy.minBurnRate}×`
            : `an increase of ${(relativeIncrease * 100).toFixed(0)}% is below the ${(policy.minRelativeIncrease * 100).toFixed(0)}% margin`;
  return { verdict: 'pass', reason: `error ratio ${both}: ${why}`, ...result };
}

/** The verdict of several comparisons: any fail fails, else any inconclusive is inconclusive, else pass. */
export function combinedVerdict(verdicts: readonly Verdict[]): Verdict {
  if (verdicts.includes('fail')) return 'fail';
  if (verdicts.length === 0 || verdicts.includes('inconclusive')) return 'inconclusive';
  return 'pass';
}
