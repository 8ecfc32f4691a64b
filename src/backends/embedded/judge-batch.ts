import { countRejection, judgeSample, noRejections, type Newest, type Rejections, type StoredValue } from './ingest-rules.js';
import type { Labels } from './labels.js';

/** A push ready to store: its distinct series and its samples, columnar (sample i of `series[seriesIndex[i]]`). */
export interface Batch {
  series: ReadonlyArray<{ key: string; labels: Labels }>;
  seriesIndex: readonly number[];
  t: readonly number[];
  value: readonly StoredValue[];
}

/** What the append rules make of a batch's samples, given each series' stored id and newest sample. */
export interface Judged {
  /** Samples to insert (indexes into the batch), in the order taken. */
  appended: number[];
  /** Series (indexes into `batch.series`) without a stored id that get a sample: they are created. */
  created: number[];
  /** Samples accepted: appended, or identical to the stored sample at their time. */
  accepted: number;
  rejected: Rejections;
}

/** Samples of a series in time order (stable), so that only the stored history decides what is out of order. */
export function timeOrder(batch: Batch): number[] {
  return Array.from(batch.t.keys()).sort(
    (a, b) => (batch.seriesIndex[a] as number) - (batch.seriesIndex[b] as number) || (batch.t[a] as number) - (batch.t[b] as number) || a - b,
  );
}

/** Applies the append rules to the samples `order` names; `newest` is updated as samples are taken. */
export function judgeBatch(
  batch: Batch,
  order: readonly number[],
  ids: ReadonlyArray<number | undefined>,
  newest: Array<Newest | undefined>,
  nowMs: number | undefined,
): Judged {
  const appended: number[] = [];
  const created: number[] = [];
  const creating = new Set<number>();
  const rejected = noRejections();
  let accepted = 0;
  for (const i of order) {
    const s = batch.seriesIndex[i] as number;
    const t = batch.t[i] as number;
    const value = batch.value[i] as StoredValue;
    const verdict = judgeSample(newest[s], t, value, nowMs);
    if (verdict === 'identical') accepted += 1;
    if (verdict !== 'append') {
      if (verdict !== 'identical') countRejection(rejected, verdict, batch.series[s]!.labels);
      continue;
    }
    if (ids[s] === undefined && !creating.has(s)) {
      creating.add(s);
      created.push(s);
    }
    appended.push(i);
    newest[s] = { t, value };
    accepted += 1;
  }
  return { appended, created, accepted, rejected };
}
