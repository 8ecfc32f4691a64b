import { afterEach, describe, expect, test } from 'vitest';
import { ingestDaemon, type IngestDaemon } from './ingest-daemon.js';

const start = Date.parse('2026-11-02T12:00:00Z') / 1000;
const ms = (seconds: number) => Math.round(seconds * 1000);

describe('pushes follow Prometheus append rules: history is never rewritten', () => {
  let daemon: IngestDaemon | undefined;
  afterEach(async () => {
    await daemon?.close();
    daemon = undefined;
  });

  const stored = (d: IngestDaemon) => d.app.db.prepare('SELECT t, value FROM samples ORDER BY t').raw().all();

  test('a sample 30 minutes older than the newest is rejected, counted and named; the value stays', async () => {
    daemon = await ingestDaemon('', start);
    const series = 'errors_total{service="checkout"}';
    expect((await daemon.push(`${series} 5 ${ms(start - 3600)}\n${series} 7 ${ms(start)}\n`)).body).toMatchObject({ samples: 2, rejected: { total: 0 } });
    const answer = await daemon.push(`${series} 900 ${ms(start - 1800)}\n`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ samples: 0, rejected: { total: 1, outOfOrder: 1, series: ['errors_total{service="checkout"}'] } });
    expect(stored(daemon)).toEqual([[ms(start - 3600), 5], [ms(start), 7]]);
  });

  test('a duplicate with another value is rejected; the identical sample is accepted silently', async () => {
    daemon = await ingestDaemon('', start);
    await daemon.push(`up{job="a"} 1 ${ms(start)}\n`);
    expect((await daemon.push(`up{job="a"} 1 ${ms(start)}\n`)).body).toMatchObject({ samples: 1, rejected: { total: 0 } });
    expect((await daemon.push(`up{job="a"} 0 ${ms(start)}\n`)).body).toMatchObject({ samples: 0, rejected: { total: 1, duplicate: 1 } });
    expect(stored(daemon)).toEqual([[ms(start), 1]]);
  });

  test('more than 10 minutes ahead of the daemon clock, and before 1970, are rejected; the rest of the push is stored', async () => {
    daemon = await ingestDaemon('', start);
    const answer = await daemon.push(
      [`a 1 ${ms(start + 599)}`, `b 1 ${ms(start + 601)}`, `c 1 ${ms(start + 86_400 * 365 * 100)}`, `d 1 -5000`, `e 1 ${ms(start)}`].join('\n') + '\n',
    );
    expect(answer.body).toMatchObject({ series: 5, samples: 2, rejected: { total: 3, tooFarInFuture: 2, outOfBounds: 1 } });
    expect(answer.body.rejected.series).toEqual(['b{}', 'c{}', 'd{}']);
    expect(stored(daemon)).toEqual([[ms(start), 1], [ms(start + 599), 1]]);
  });

  test('samples of one push may come in any order; conflicts inside one push follow the same rules', async () => {
    daemon = await ingestDaemon('', start);
    const answer = await daemon.push(`x 3 ${ms(start - 20)}\nx 1 ${ms(start - 40)}\nx 2 ${ms(start - 30)}\nx 9 ${ms(start - 30)}\n`);
    expect(answer.body).toMatchObject({ samples: 3, rejected: { total: 1, duplicate: 1 } });
    expect(stored(daemon)).toEqual([[ms(start - 40), 1], [ms(start - 30), 2], [ms(start - 20), 3]]);
  });
});
