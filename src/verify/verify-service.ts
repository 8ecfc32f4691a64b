import type { MetricBackend } from '../backends/backend.js';
import { humanizeSeconds } from '../core/duration.js';
import {
  combinedVerdict,
  compareErrorRatios,
  defaultMinEvents,
  type ComparisonPolicy,
  type EventCounts,
  type RatioFigures,
  type Verdict,
} from '../core/error-ratio-comparison.js';
import { alignDown } from '../core/time.js';
import type { DeployEvent } from '../deploys/deploy.js';
import type { Slo } from '../slo/model.js';
import { bucketsBetween, countsIn } from './range-counts.js';
import type { VerificationSettings } from './verification-settings.js';
import { trackCounts, trackNames } from './verify-tracks.js';

const week = 7 * 86_400;

/**
 * What the after-deploy period is compared with: the same length right before the deploy, a week earlier, or
 * (`stable`) nothing earlier: over the same period, each SLO's canary track against its stable track.
 */
export const baselines = ['before', 'week', 'stable'] as const;
export type Baseline = (typeof baselines)[number];
/** The baselines of an earlier period: the daemon's watch and `verification.baseline`. */
export type PeriodBaseline = Exclude<Baseline, 'stable'>;

export interface VerifyRequest {
  service: string;
  /** The service's SLOs. */
  slos: readonly Slo[];
  /** When the deploy finished; the after period starts at the next bucket boundary. */
  since: number;
  deploy: DeployEvent | undefined;
  /** The time data is complete up to (the daemon's query delay already taken off). */
  now: number;
  bucket: number;
  baseline: Baseline;
  /** A fixed baseline period instead of one relative to `since` (a regression's, while it is watched for recovery). */
  baselinePeriod?: Period;
  settings: VerificationSettings;
  backend: MetricBackend;
  signal?: AbortSignal;
}

export interface Period {
  from: number;
  to: number;
}

export interface SloVerification {
  slo: string;
  objective: number;
  verdict: Verdict;
  reason: string;
  baseline: RatioFigures & Period;
  candidate: RatioFigures & Period;
  pValue: number | null;
  confidence: number | null;
  /** Whether the counts are exact counter increments (false: the backend's increase() per bucket). */
  exact: boolean;
}

export interface VerificationAnswer {
  service: string;
  deploy: DeployEvent | null;
  since: number;
  /** The end of the compared period. */
  at: number;
  /** Seconds of the after-deploy period compared so far, and the period the settings ask for. */
  watched: number;
  period: number;
  /** The whole period has been compared: a pass is final. */
  complete: boolean;
  baseline: Baseline;
  verdict: Verdict;
  /** One line per SLO that did not pass, with its SLO name; one line when all passed. */
  reasons: string[];
  slos: SloVerification[];
}

/** The comparison policy for one SLO: the settings, with the events it needs from its objective when not set. */
export function policyFor(slo: Slo, settings: VerificationSettings): ComparisonPolicy {
  return {
    confidence: settings.confidence,
    minBurnRate: settings.minBurnRate,
    minRelativeIncrease: settings.minRelativeIncrease,
    minEvents: settings.minEvents ?? defaultMinEvents(slo.objective),
  };
}

/** The after-deploy period compared at `now` and its baseline, on bucket boundaries; the tracks share one period. */
export function comparedPeriods(since: number, now: number, bucket: number, period: number, baseline: Baseline): { after: Period; before: Period } {
  const afterFrom = Math.ceil(since / bucket) * bucket;
  const afterTo = Math.max(afterFrom, Math.min(alignDown(now, bucket), afterFrom + period));
  const length = afterTo - afterFrom;
  if (baseline === 'stable') return { after: { from: afterFrom, to: afterTo }, before: { from: afterFrom, to: afterTo } };
  if (baseline === 'week') return { after: { from: afterFrom, to: afterTo }, before: { from: afterFrom - week, to: afterTo - week } };
  const beforeTo = alignDown(since, bucket);
  return { after: { from: afterFrom, to: afterTo }, before: { from: beforeTo - length, to: beforeTo } };
}

/** The SLO's events in the baseline period and after the deploy, and whether both are exact. */
async function periodCounts(slo: Slo, request: VerifyRequest, after: Period, before: Period): Promise<{ baseline: EventCounts; candidate: EventCounts; exact: boolean }> {
  const read = async (period: Period) => bucketsBetween(slo, request.backend, period.from, period.to, request.bucket, request.signal);
  // Adjacent or close periods (right before the deploy): one read covers both. Far apart (a week earlier): two.
  const [beforeBuckets, afterBuckets] =
    before.to === after.from || (before.to < after.from && after.from - before.to <= after.to - after.from)
      ? await read({ from: before.from, to: after.to }).then((all) => [all, all] as const)
      : await Promise.all([read(before), read(after)]);
  return {
    baseline: countsIn(beforeBuckets.buckets, before.from, before.to),
    candidate: countsIn(afterBuckets.buckets, after.from, after.to),
    exact: beforeBuckets.exact && afterBuckets.exact,
  };
}

async function verifySlo(slo: Slo, request: VerifyRequest, after: Period, before: Period): Promise<SloVerification> {
  const policy = policyFor(slo, request.settings);
  const canary = request.baseline === 'stable';
  const counts = canary ? await trackCounts(slo, request.backend, after, request.bucket, request.signal) : await periodCounts(slo, request, after, before);
  const comparison = compareErrorRatios(counts.baseline, counts.candidate, slo.objective, policy, canary ? trackNames : undefined);
  return {
    slo: slo.name,
    objective: slo.objective,
    verdict: comparison.verdict,
    reason: comparison.reason,
    baseline: { ...comparison.baseline, ...before },
    candidate: { ...comparison.candidate, ...after },
    pValue: comparison.pValue,
    confidence: comparison.confidence,
    exact: counts.exact,
  };
}

/** An SLO that could not be compared, and why. */
const unverified = (slo: Slo, after: Period, before: Period, reason: string): SloVerification => {
  const empty = { errors: 0, total: 0, ratio: null, burnRate: null };
  return {
    slo: slo.name,
    objective: slo.objective,
    verdict: 'inconclusive',
    reason,
    baseline: { ...empty, ...before },
    candidate: { ...empty, ...after },
    pValue: null,
    confidence: null,
    exact: false,
  };
};

/**
 * Whether the service got worse since the deploy: each SLO's error ratio since `since` against its baseline (or,
 * against `stable`, its canary's against its stable track's), by the comparison of core/error-ratio-comparison.
 * A backend that cannot be read makes that SLO inconclusive.
 */
export async function verifyService(request: VerifyRequest): Promise<VerificationAnswer> {
  const periods = comparedPeriods(request.since, request.now, request.bucket, request.settings.period, request.baseline);
  const { after } = periods;
  const before = request.baselinePeriod ?? periods.before;
  const slos = await Promise.all(
    request.slos.map((slo) =>
      after.to > after.from
        ? verifySlo(slo, request, after, before).catch((error: unknown) => unverified(slo, after, before, `cannot read the backend: ${error instanceof Error ? error.message : String(error)}`))
        : Promise.resolve(unverified(slo, after, before, 'no complete bucket since the deploy yet')),
    ),
  );
  const verdict = combinedVerdict(slos.map((s) => s.verdict));
  const watched = after.to - after.from;
  const complete = watched >= request.settings.period;
  const notPassed = slos.filter((s) => s.verdict !== 'pass').map((s) => `${s.slo}: ${s.verdict}: ${s.reason}`);
  const reasons =
    notPassed.length > 0
      ? notPassed
      : [`every SLO of ${request.service} passed${request.baseline === 'stable' ? ', canary against stable,' : ''} over ${humanizeSeconds(watched)}${complete ? '' : ` of ${humanizeSeconds(request.settings.period)} (so far)`}`];
  return {
    service: request.service,
    deploy: request.deploy ?? null,
    since: request.since,
    at: after.to,
    watched,
    period: request.settings.period,
    complete,
    baseline: request.baseline,
    verdict,
    reasons,
    slos,
  };
}
