import { createHash } from 'node:crypto';
import type { MetricBackend } from '../backends/backend.js';
import type { WindowCounts } from '../core/burn-rate.js';
import type { BucketAppend, BucketLedger } from '../ledger/bucket-ledger.js';
import type { Slo } from '../slo/model.js';
import { planQueries, type QueryRange } from './bucket-plan.js';
import { bucketMethod, exactBuckets, type BucketMethod } from './counter-buckets.js';
import { bucketsFromResults, settledBuckets, valuesByWindow, windowCountsFromResults } from './indicator-buckets.js';
import { alertWindows } from './slo-windows.js';
import { windowsQuery } from './window-query.js';
import { writeAtOnce, type WriteTurn } from '../store/write-turn.js';

export interface BucketSettings {
  /** Fine bucket width and evaluation step, seconds. */
  bucket: number;
  /** Width of backfilled buckets older than fineSpan, seconds. */
  coarseBucket: number;
  /** How far back fine buckets are backfilled. */
  fineSpan: number;
  /** Buckets younger than this are recomputed each cycle (samples may still arrive), then recorded for good. */
  lateness: number;
}

export interface SyncResult {
  /** Backend requests: range queries and raw-sample reads. */
  queries: number;
  appended: number;
  reset: boolean;
  method: BucketMethod;
  /** Pairs of samples too far apart to count (a scrape interval or an outage longer than the gap limit). */
  gaps: number;
  /** Buckets too young to record: they count in this cycle's budget and are asked for again next cycle. */
  provisional: BucketAppend[];
  /** Exact alert-window counts at each step from `windowsFrom` to the target. */
  windowsAt: Map<number, Map<number, WindowCounts>>;
}

/** What the recorded buckets depend on: a change to any of these voids them. */
export function ledgerFingerprint(slo: Slo, settings: BucketSettings, method: BucketMethod): string {
  const { indicator } = slo;
  const how = method.exact ? 'counter-increments/1' : 'increase';
  return createHash('sha256')
    .update(JSON.stringify([indicator.numeratorKind, indicator.numerator, indicator.total, settings.bucket, settings.coarseBucket, how]))
    .digest('hex')
    .slice(0, 16);
}

/**
 * Brings one SLO up to `target`. The alert windows come exactly as the backend computes them, from two range
 * queries (numerator and total) returning every window at each evaluated step. The budget buckets go to the
 * ledger, which sums the compliance window from them: exact counter increments from the backend's raw samples
 * where it has them (a few minutes of samples per steady cycle), else the backend's `increase()` per bucket.
 * After a gap the same queries cover the whole gap.
 */
export async function syncBuckets(
  slo: Slo,
  ledger: BucketLedger,
  backend: MetricBackend,
  target: number,
  windowsFrom: number,
  settings: BucketSettings,
  signal?: AbortSignal,
  writeTurn: WriteTurn = writeAtOnce,
): Promise<SyncResult> {
  const method = bucketMethod(slo.indicator, backend, settings.bucket);
  const fingerprint = ledgerFingerprint(slo, settings, method);
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
  const [windowParts, exactParts] = await Promise.all([
    Promise.all(plan.ranges.map((range) => fetchWindows(slo, backend, range, method, signal))),
    method.exact ? Promise.all(contiguous(plan.ranges).map((range) => exactBuckets(slo.indicator, backend, range, signal))) : [],
  ]);
  const keepAfter = plan.reset ? Number.NEGATIVE_INFINITY : (lastEnd ?? Number.NEGATIVE_INFINITY);
  const buckets = (method.exact ? exactParts : windowParts).flatMap((part) => part.buckets).filter((bucket) => bucket.end > keepAfter);
  const { final, provisional } = method.exact
    ? splitSettled(buckets, target - settings.lateness)
    : { final: settledBuckets(buckets, target, settings.lateness), provisional: [] };
  if (plan.reset || final.length > 0) {
    await writeTurn.run(() => {
      if (plan.reset) ledger.reset(slo.name, fingerprint);
      if (final.length > 0) ledger.append(slo.name, final);
    });
  }
  const windowsAt = new Map(windowParts.flatMap((part) => [...part.windowsAt]));
  const queries = [...windowParts, ...exactParts].reduce((sum, part) => sum + part.requests, 0);
  const gaps = exactParts.reduce((sum, part) => sum + part.gaps, 0);
  return { queries, appended: final.length, reset: plan.reset, method, gaps, provisional, windowsAt };
}

/** Alert windows at each step of a range that asks for them; for approximate buckets, the bucket width too. */
async function fetchWindows(slo: Slo, backend: MetricBackend, range: QueryRange, method: BucketMethod, signal?: AbortSignal) {
  const windows = range.windows ? alertWindows(slo) : [];
  const queried = method.exact ? windows : [range.width, ...windows];
  if (queried.length === 0) return { requests: 0, buckets: [], windowsAt: new Map<number, Map<number, WindowCounts>>() };
  const query = (template: string) =>
    backend.queryRange({ expr: windowsQuery(template, queried), start: range.start, end: range.end, step: range.width }, signal);
  const [numeratorSeries, totalSeries] = await Promise.all([query(slo.indicator.numerator.template), query(slo.indicator.total.template)]);
  const numerator = valuesByWindow(numeratorSeries, slo.indicator.numeratorKind);
  const total = valuesByWindow(totalSeries, 'total');
  return {
    requests: 2,
    buckets: method.exact ? [] : bucketsFromResults(slo.indicator, range, numerator.get(range.width), total.get(range.width)),
    windowsAt: range.windows ? windowCountsFromResults(slo.indicator, range, windows, numerator, total) : new Map<number, Map<number, WindowCounts>>(),
  };
}

/** Adjacent ranges of one width joined, so their buckets come from one read of samples. */
function contiguous(ranges: readonly QueryRange[]): QueryRange[] {
  const joined: QueryRange[] = [];
  for (const range of ranges) {
    const last = joined.at(-1);
    if (last && last.width === range.width && last.end + last.width === range.start) joined[joined.length - 1] = { ...last, end: range.end };
    else joined.push({ ...range });
  }
  return joined;
}

/** Exact buckets are recorded once older than the lateness; younger ones are recomputed each cycle. */
function splitSettled(buckets: readonly BucketAppend[], settledUntil: number) {
  return { final: buckets.filter((b) => b.end <= settledUntil), provisional: buckets.filter((b) => b.end > settledUntil) };
}
