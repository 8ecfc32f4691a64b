import type { Db } from '../../store/database.js';
import { metricNameLabel, type Labels } from './labels.js';
import { matchesAll, type CompiledMatcher } from '../../labels/matchers.js';
import type { Work } from './cooperative.js';

/** Series read per slice when catching up with other connections' writes. */
const catchUpPage = 500;
/** Series tested between yields of a selection. */
const selectSlice = 512;

export interface IndexedSeries {
  id: number;
  labels: Labels;
}

interface Entry extends IndexedSeries {
  key: string;
}

/**
 * The store's series with their labels parsed once, by metric name: a query matches label sets in memory
 * instead of parsing every series' JSON. Kept in step with this connection's inserts and deletes; writes by
 * another connection (the CLI's `ingest` beside a running daemon) are picked up through `PRAGMA data_version`.
 */
export class SeriesIndex {
  private static readonly perConnection = new WeakMap<Db, SeriesIndex>();

  /** One index per connection, shared by every store opened on it (a connection does not see its own writes in data_version). */
  static of(db: Db): SeriesIndex {
    let index = SeriesIndex.perConnection.get(db);
    if (index === undefined) SeriesIndex.perConnection.set(db, (index = new SeriesIndex(db)));
    return index;
  }

  private readonly byId = new Map<number, Entry>();
  private readonly byKey = new Map<string, number>();
  private readonly byName = new Map<string, Set<number>>();
  private maxId = 0;
  private dataVersion = -1;
  private readonly statements;

  private constructor(db: Db) {
    this.statements = {
      dataVersion: db.prepare<[], number>('PRAGMA data_version').pluck(),
      count: db.prepare<[], number>('SELECT count(*) FROM sample_series').pluck(),
      after: db.prepare<[number], [number, string]>('SELECT id, labels_key FROM sample_series WHERE id > ? ORDER BY id').raw(),
      page: db.prepare<[number, number], [number, string]>('SELECT id, labels_key FROM sample_series WHERE id > ? ORDER BY id LIMIT ?').raw(),
    };
    this.refresh();
  }

  get size(): number {
    this.refresh();
    return this.byId.size;
  }

  /** The id of the series with this canonical key, if stored. */
  idOf(key: string): number | undefined {
    this.refresh();
    return this.byKey.get(key);
  }

  /**
   * Series whose labels satisfy every matcher; a `__name__="x"` matcher narrows the scan to that metric. Yields
   * every few hundred candidates; the candidates are those stored when the selection began.
   */
  *select(matchers: readonly CompiledMatcher[]): Work<IndexedSeries[]> {
    this.refresh();
    const byName = matchers.find((m) => m.name === metricNameLabel && m.type === '=');
    const result: IndexedSeries[] = [];
    const candidates = [...(byName ? (this.byName.get(byName.value) ?? []) : this.byId.keys())];
    for (let i = 0; i < candidates.length; i++) {
      const series = this.byId.get(candidates[i] as number);
      if (series !== undefined && matchesAll(series.labels, matchers)) result.push(series);
      if (i % selectSlice === selectSlice - 1) yield;
    }
    return result;
  }

  /** Records a series this connection has committed; labels come from the key, in sorted order. */
  add(id: number, key: string): void {
    const labels = parseKey(key);
    this.byId.set(id, { id, labels, key });
    this.byKey.set(key, id);
    const name = labels[metricNameLabel] ?? '';
    let ids = this.byName.get(name);
    if (ids === undefined) this.byName.set(name, (ids = new Set()));
    ids.add(id);
    if (id > this.maxId) this.maxId = id;
  }

  /** Forgets a series this connection has deleted. */
  remove(id: number): void {
    const series = this.byId.get(id);
    if (series === undefined) return;
    this.byId.delete(id);
    this.byKey.delete(series.key);
    this.byName.get(series.labels[metricNameLabel] ?? '')?.delete(id);
  }

  /**
   * Reads the series other connections added (an ingest worker's pushes) a page at a time, yielding between pages,
   * so that the next query does not parse them all in one turn of the event loop.
   */
  *catchUp(): Work<void> {
    if (this.statements.dataVersion.get() === this.dataVersion) return;
    for (;;) {
      const rows = this.statements.page.all(this.maxId, catchUpPage);
      for (const [id, key] of rows) this.add(id, key);
      if (rows.length < catchUpPage) break;
      yield;
    }
    this.refresh();
  }

  /** Re-reads every series. */
  reload(): void {
    this.byId.clear();
    this.byKey.clear();
    this.byName.clear();
    this.maxId = 0;
    this.readAfterMaxId();
  }

  /** Reads series other connections added; a count that still differs (they deleted some) reloads it all. */
  private refresh(): void {
    const version = this.statements.dataVersion.get() as number;
    if (version === this.dataVersion) return;
    this.dataVersion = version;
    this.readAfterMaxId();
    if (this.statements.count.get() !== this.byId.size) this.reload();
  }

  private readAfterMaxId(): void {
    for (const [id, key] of this.statements.after.all(this.maxId)) this.add(id, key);
  }
}

function parseKey(key: string): Labels {
  return Object.fromEntries(JSON.parse(key) as Array<[string, string]>) as Labels;
}
