import { describe, expect, test } from 'vitest';
import { newBackend } from './fixtures.js';
import { defaultIngestLimits } from '../../src/backends/embedded/ingest-limits.js';

const day = 86_400;

function counterFile(series: number, days: number, intervalSeconds: number, start: number): string {
  const lines: string[] = ['# TYPE http_requests counter'];
  for (let s = 0; s < series; s++) {
    for (let t = 0; t <= days * day; t += intervalSeconds) {
      lines.push(`http_requests_total{job="api",code="${s % 2 === 0 ? '200' : '500'}",instance="i${s}"} ${(t / intervalSeconds) * (s + 1)} ${start + t}`);
    }
  }
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}

describe('sample store', () => {
  test('samples of one push are stored in time order, and a later push cannot rewrite them', async () => {
    const { backend } = newBackend();
    expect(backend.ingest('g 1 3000\ng 2 1000\ng 3 2000\n')).toMatchObject({ series: 1, samples: 3, rejected: { total: 0 } });
    expect(backend.ingest('g 9 2000\n')).toMatchObject({ series: 1, samples: 0, rejected: { total: 1, outOfOrder: 1, series: ['g{}'] } });
    const [series] = await backend.queryRange({ expr: 'g', start: 1, end: 3, step: 1 });
    expect(series?.points).toEqual([{ t: 1, value: 2 }, { t: 2, value: 3 }, { t: 3, value: 1 }]);
  });

  test('NaN and ±Inf survive the round trip through SQLite', async () => {
    const { backend } = newBackend();
    backend.ingest('a NaN 1000\nb +Inf 1000\nc -Inf 1000\n');
    const values = (await backend.queryRange({ expr: '{__name__=~"a|b|c"}', start: 1, end: 1, step: 1 })).map((s) => s.points[0]?.value);
    expect(values).toEqual([Number.NaN, Infinity, -Infinity]);
  });

  test('deleteBefore removes older samples and the series left empty', async () => {
    const { db, backend } = newBackend();
    backend.ingest('a 1 1000\na 2 2000\nb 1 1000\n');
    expect(await backend.deleteBefore(2)).toBe(2);
    expect(db.prepare('SELECT count(*) FROM sample_series').pluck().get()).toBe(1);
    const series = await backend.queryRange({ expr: '{__name__=~"a|b"}', start: 1, end: 2, step: 1 });
    expect(series).toEqual([{ labels: { __name__: 'a' }, points: [{ t: 2, value: 2 }] }]);
  });
});

describe('a 30-day backfill at a 1-minute step', () => {
  test('ingests every sample and answers a 43,201-step range query with correct points', async () => {
    // One push of 345,604 samples: over the default per-push limit, so this store allows more.
    const { backend } = newBackend({ ...defaultIngestLimits, samplesPerPush: 400_000 });
    const start = 1_700_000_000;
    const counts = backend.ingest(counterFile(4, 30, 30, start));
    expect(counts).toMatchObject({ series: 4, samples: 4 * (30 * 2880 + 1), rejected: { total: 0 } });

    const result = await backend.queryRange({
      expr: 'sum by (code) (rate(http_requests_total[5m]))',
      start,
      end: start + 30 * day,
      step: 60,
    });
    expect(result.map((s) => s.labels)).toEqual([{ code: '200' }, { code: '500' }]);
    // 43,201 steps; at the first one the window holds a single sample, so rate has no value there
    expect(result.map((s) => s.points.length)).toEqual([43_200, 43_200]);
    expect(result[0]?.points[0]?.t).toBe(start + 60);
    expect(result[0]?.points.at(-1)?.t).toBe(start + 30 * day);
    // every instance adds (s + 1) per 30 s: code 200 has instances 0 and 2, code 500 instances 1 and 3
    expect(result[0]?.points[100]?.value).toBeCloseTo(4 / 30, 12);
    expect(result[1]?.points.at(-1)?.value).toBeCloseTo(6 / 30, 12);

    const [ratio] = await backend.queryRange({
      expr: 'sum(increase(http_requests_total{code="500"}[1h])) / sum(increase(http_requests_total[1h]))',
      start,
      end: start + 30 * day,
      step: 60,
    });
    expect(ratio?.points).toHaveLength(43_200);
    expect(ratio?.points[5000]?.value).toBeCloseTo(6 / 10, 12);
  });
});
