import { openDatabase, type Db } from '../../src/store/database.js';
import { createEmbeddedBackend, type EmbeddedBackend } from '../../src/backends/embedded/embedded-backend.js';
import type { Series } from '../../src/backends/backend.js';
import type { IngestLimits } from '../../src/backends/embedded/ingest-limits.js';

export function newBackend(limits?: IngestLimits): { db: Db; backend: EmbeddedBackend } {
  const db = openDatabase(':memory:');
  return { db, backend: createEmbeddedBackend(db, limits) };
}

/** Instant query at `t` (unix seconds): the value per label set, as `{labels json: value}`. */
export async function instant(backend: EmbeddedBackend, expr: string, t: number): Promise<Record<string, number>> {
  const series = await backend.queryRange({ expr, start: t, end: t, step: 1 });
  return byLabels(series);
}

export function byLabels(series: Series[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of series) {
    const point = s.points[0];
    if (point !== undefined) out[JSON.stringify(s.labels)] = point.value;
  }
  return out;
}

/** OpenMetrics text for one counter series: `points` are [seconds, value]. */
export function openMetricsCounter(name: string, labels: string, points: ReadonlyArray<readonly [number, number]>): string {
  const lines = [`# TYPE ${name} counter`, ...points.map(([t, v]) => `${name}_total${labels} ${v} ${t}`), '# EOF'];
  return `${lines.join('\n')}\n`;
}
