import { describe, expect, test } from 'vitest';
import { createSampleStore, type RawSample } from '../../src/backends/embedded/sample-store.js';
import type { Series } from '../../src/backends/backend.js';
import { newBackend } from './fixtures.js';

/** A small deterministic PRNG (mulberry32) so failures reproduce. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Counters with irregular intervals, gaps, resets and staleness markers. */
function randomSamples(next: () => number): RawSample[] {
  const samples: RawSample[] = [];
  for (const [name, job] of [['req_total', 'api'], ['req_total', 'web'], ['err_total', 'api'], ['err_total', 'web']] as const) {
    for (const code of ['200', '500']) {
      let t = Math.floor(next() * 60_000);
      let value = Math.floor(next() * 10);
      while (t < 3_600_000) {
        const roll = next();
        if (roll < 0.02) value = Math.floor(next() * 5);
        else value += Math.floor(next() * 20);
        samples.push({ labels: { __name__: name, job, code }, t, value, ...(roll > 0.99 ? { stale: true } : {}) });
        t += roll < 0.05 ? 400_000 : 5_000 + Math.floor(next() * 40_000);
      }
    }
  }
  return samples;
}

const expressions = [
  'rate(req_total[5m])',
  'increase(err_total{code="500"}[90s])',
  'req_total',
  'sum by (job) (rate(err_total[5m])) / sum by (job) (rate(req_total[5m]))',
  'sum without (code) (increase(req_total[10m]))',
  'sum(rate(err_total[2m])) * 100 - 1',
  '-err_total{job=~"a.*"}',
  ['1m', '5m', '1h']
    .map((range, i) => `label_replace(sum(rate(req_total{job="api"}[${range}])), "burnrate_window", "${[60, 300, 3600][i]}", "", "")`)
    .join(' or '),
  'req_total or err_total',
  'rate(req_total{code="500"}[1m]) or increase(err_total[5m]) or req_total',
  'err_total and rate(req_total[1m])',
  'req_total unless rate(err_total[2m])',
  'label_replace(req_total, "kind", "$1-${2}x", "job", "(a)(p)i|w(e)b")',
  'label_replace(rate(err_total[5m]), "__name__", "err_rate_$1", "code", "(5)..")',
];

function flatten(series: Series[]): Array<[string, number, number]> {
  return series
    .flatMap((s) => s.points.map((p): [string, number, number] => [JSON.stringify(s.labels), p.t, p.value]))
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
}

describe('query_range equals per-step instant evaluation', () => {
  test.each([1, 2, 3, 4, 5])('random data, seed %i', async (seed) => {
    const next = random(seed);
    const { db, backend } = newBackend();
    createSampleStore(db).append(randomSamples(next));
    for (const expr of expressions) {
      const start = Math.floor(next() * 1800) + next();
      const step = [7, 15, 60, 97.5][Math.floor(next() * 4)] as number;
      const end = start + Math.floor(next() * 1800);
      const range = await backend.queryRange({ expr, start, end, step });
      const perStep: Series[] = [];
      for (let t = Math.round(start * 1000); t <= Math.round(end * 1000); t += Math.round(step * 1000)) {
        perStep.push(...(await backend.queryRange({ expr, start: t / 1000, end: t / 1000, step })));
      }
      expect(flatten(range), expr).toEqual(flatten(perStep));
      expect(flatten(range).length, `${expr} has points`).toBeGreaterThan(0);
    }
  });
});
