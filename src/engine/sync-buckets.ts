import { createHash } from 'node:crypto';
import type { MetricBackend } from '../backends/backend.js';
import type { BucketLedger } from '../ledger/bucket-ledger.js';
import { fillWindow } from '../promql/fill-window.js';
import type { Slo } from '../slo/model.js';
import { planBuckets, type BucketRange } from './bucket-plan.js';
import { bucketsFromResults, settledBuckets, valuesByTime } from './indicator-buckets.js';

export interface BucketSettings {
  /** Fine bucket width and evaluation step, seconds. */
  bucket: number;
  /** Width of backfilled buckets older than fineSpan, seconds. */
  coarseBucket: number;
  /** How far back fine buckets are kept and backfilled. */
  fineSpan: number;
  /** How long a bucket without data may still receive it. */
  lateness: number;
}

export interface SyncResult {
  queries: number;
  appended: number;
  reset: boolean;
}

/** What the recorded buckets depend on: a change to any of these voids them. */
export function ledgerFingerprint(slo: Slo, settings: BucketSettings): string {
  const { indicator } = slo;
  return createHash('sha256')
    .update(JSON.stringify([indicator.numeratorKind, indicator.numerator, indicator.total, settings.bucket, settings.coarseBucket]))
    .digest('hex')
    .slice(0, 16);
}

/**
 * Brings one SLO's buckets up to `target`: in steady state one range query per indicator query, i.e. two
 * per SLO per cycle, each pinned to bucket ends; after a gap the same two queries cover the whole gap.
 */
export async function syncBuckets(
  slo: Slo,
  ledger: BucketLedger,
  backend: MetricBackend,
  target: number,
  settings: BucketSettings,
  signal?: AbortSignal,
): Promise<SyncResult> {
  const fingerprint = ledgerFingerprint(slo, settings);
  const plan = planBuckets({
    lastEnd: ledger.lastBucketEnd(slo.name),
    fingerprintMatches: ledger.fingerprint(slo.name) === fingerprint,
    target,
    bucket: settings.bucket,
    coarseBucket: settings.coarseBucket,
    fineSpan: settings.fineSpan,
    history: slo.window,
  });
  const fetched = await Promise.all(plan.ranges.map((range) => fetchRange(slo, backend, range, signal)));
  const buckets = settledBuckets(fetched.flat(), target, settings.lateness);
  if (plan.reset) ledger.reset(slo.name, fingerprint);
  if (buckets.length > 0) ledger.append(slo.name, buckets);
  return { queries: plan.ranges.length * 2, appended: buckets.length, reset: plan.reset };
}

async function fetchRange(slo: Slo, backend: MetricBackend, range: BucketRange, signal?: AbortSignal) {
  const query = (template: string) =>
    backend.queryRange({ expr: fillWindow(template, range.width), start: range.start, end: range.end, step: range.width }, signal);
  const [numerator, total] = await Promise.all([query(slo.indicator.numerator.template), query(slo.indicator.total.template)]);
  return bucketsFromResults(
    slo.indicator,
    range,
    valuesByTime(numerator, slo.indicator.numeratorKind),
    valuesByTime(total, 'total'),
  );
}
