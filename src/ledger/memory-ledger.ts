import type { WindowCounts } from '../core/burn-rate.js';
import { accumulate, baseRow, countsBetween, sumsBetweenRows, type BucketAppend, type BucketLedger, type LedgerRow, type RunningSums } from './bucket-ledger.js';

/** Ledger in process memory: for backtests and benchmarks of the engine alone. */
export class MemoryLedger implements BucketLedger {
  private readonly rows = new Map<string, LedgerRow[]>();
  private readonly fingerprints = new Map<string, string>();

  lastBucketEnd(slo: string): number | undefined {
    return this.rows.get(slo)?.at(-1)?.t;
  }

  fingerprint(slo: string): string | undefined {
    return this.fingerprints.get(slo);
  }

  reset(slo: string, fingerprint: string): void {
    this.rows.set(slo, []);
    this.fingerprints.set(slo, fingerprint);
  }

  append(slo: string, buckets: readonly BucketAppend[]): void {
    const rows = this.rows.get(slo) ?? [];
    let previous = rows.at(-1) ?? baseRow(buckets);
    if (!previous) return;
    if (rows.length === 0) rows.push(previous);
    for (const bucket of buckets) {
      if (bucket.end <= previous.t) throw new Error(`bucket ${bucket.end} of ${slo} is not after ${previous.t}`);
      previous = accumulate(previous, bucket);
      rows.push(previous);
    }
    this.rows.set(slo, rows);
  }

  windowCounts(slo: string, at: number, windows: readonly number[]): Map<number, WindowCounts> {
    const rows = this.rows.get(slo) ?? [];
    const upper = floorRow(rows, at);
    return new Map(windows.map((window) => [window, countsBetween(upper, floorRow(rows, at - window) ?? rows[0], at, window)]));
  }

  sumsAt(slo: string, t: number, bucket: number): RunningSums {
    const rows = this.rows.get(slo) ?? [];
    const floor = floorIndex(rows, t);
    return sumsBetweenRows(rows[floor], floor < 0 ? undefined : rows[floor + 1], t, bucket);
  }

  thin(slo: string, before: number, keepEvery: number, keep: readonly number[] = []): number {
    const rows = this.rows.get(slo) ?? [];
    const pinned = new Set(keep);
    const kept = rows.filter((row) => row.t >= before || row.t % keepEvery === 0 || pinned.has(row.t));
    this.rows.set(slo, kept);
    return rows.length - kept.length;
  }

  drop(slo: string, before: number): number {
    const rows = this.rows.get(slo) ?? [];
    const base = floorRow(rows, before);
    const kept = rows.filter((row) => row.t >= before || row === base);
    this.rows.set(slo, kept);
    return rows.length - kept.length;
  }
}

/** The index of the last row with t ≤ at (binary search); -1 when there is none. */
function floorIndex(rows: readonly LedgerRow[], at: number): number {
  let low = 0;
  let high = rows.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (rows[middle]!.t <= at) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}

/** The last row with t ≤ at. */
const floorRow = (rows: readonly LedgerRow[], at: number): LedgerRow | undefined => rows[floorIndex(rows, at)];
