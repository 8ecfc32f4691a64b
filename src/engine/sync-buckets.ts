import { createHash } from 'node:crypto';
import type { MetricBackend } from '../backends/backend.js';
import type { WindowCounts } from '../core/burn-rate.js';
import type { BucketLedger } from '../ledger/bucket-ledger.js';
import type { Slo } from '../slo/model.js';
import { planQueries, type QueryRange } from './bucket-plan.js';
import { bucketsFromResults, settledBuckets, valuesByWindow, windowCountsFromResults } from './indicator-buckets.js';
import { alertWindows } from './slo-windows.js';
import { windowsQuery } from './window-query.js';

export interface BucketSettings {
  /** Fine bucket width and evaluation step, seconds. */
  bucket: number;
  /** Width of backfilled buckets older than fineSpan, seconds. */
  coarseBucket: number;
  /** How far back fine buckets are backfilled. */
  fineSpan: number;
  /** How long a bucket without data may still receive it. */
  lateness: number;
}

export interface SyncResult {
  queries: number;
  appended: number;
  reset: boolean;
  /** Exact alert-window counts at each step from `windowsFrom` to the target. */
  windowsAt: Map<number, Map<number, WindowCounts>>;
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
 * Brings one SLO up to `target`. In steady state that is two range queries (numerator and total), each
 * returning the new bucket and every alert window at the pinned step; after a gap the same two queries
 * cover the whole gap. Buckets go to the ledger (the budget window is summed from them); the alert windows
 * come back exactly as the backend computes them.
 */
export async function syncBuckets(
  slo: Slo,
  ledger: BucketLedger,
  backend: MetricBackend,
  target: number,
  windowsFrom: number,
  settings: BucketSettings,
  signal?: AbortSignal,
): Promise<SyncResult> {
  const fingerprint = ledgerFingerprint(slo, settings);
  const lastEnd = ledger.lastBucketEnd(slo.name);
  const plan = planQueries({
    lastEnd,
    fingerprintMatches: ledger.fingerprint(slo.name) === fingerprint,
    target,
    windowsFrom,
    bucket: settings.bucket,
    coarseBucket: settings.coarseBucket,
    fineSpan: settings.fineSpan,
    history: slo.window,
  });
  const fetched = await Promise.all(plan.ranges.map((range) => fetchRange(slo, backend, range, signal)));
  const keepAfter = plan.reset ? Number.NEGATIVE_INFINITY : (lastEnd ?? Number.NEGATIVE_INFINITY);
  const buckets = settledBuckets(
    fetched.flatMap((part) => part.buckets).filter((bucket) => bucket.end > keepAfter),
    target,
    settings.lateness,
  );
  if (plan.reset) ledger.reset(slo.name, fingerprint);
  if (buckets.length > 0) ledger.append(slo.name, buckets);
  const windowsAt = new Map(fetched.flatMap((part) => [...part.windowsAt]));
  return { queries: plan.ranges.length * 2, appended: buckets.length, reset: plan.reset, windowsAt };
}

async function fetchRange(slo: Slo, backend: MetricBackend, range: QueryRange, signal?: AbortSignal) {
  const windows = range.windows ? alertWindows(slo) : [];
  const queried = [range.width, ...windows];
  const query = (template: string) =>
    backend.queryRange({ expr: windowsQuery(template, queried), start: range.start, end: range.end, step: range.width }, signal);
  const [numeratorSeries, totalSeries] = await Promise.all([query(slo.indicator.numerator.template), query(slo.indicator.total.template)]);
  const numerator = valuesByWindow(numeratorSeries, slo.indicator.numeratorKind);
  const total = valuesByWindow(totalSeries, 'total');
  return {
    buckets: bucketsFromResults(slo.indicator, range, numerator.get(range.width), total.get(range.width)),
    windowsAt: range.windows ? windowCountsFromResults(slo.indicator, range, windows, numerator, total) : new Map<number, Map<number, WindowCounts>>(),
  };
}
