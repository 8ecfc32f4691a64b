import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { ingestDaemon, seriesText } from './ingest-daemon.js';

const prober = fileURLToPath(new URL('../support/http-prober.mjs', import.meta.url));

/** /healthz latencies seen by another process probing every 20 ms while `work` runs. */
async function probedFromOutside(url: string, work: () => Promise<void>): Promise<number[]> {
  const child = fork(prober, [url, 'healthz=/healthz@20'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await new Promise((resolve) => child.once('message', resolve));
  try {
    await work();
  } finally {
    child.send('stop');
  }
  const results = (await new Promise((resolve) => child.once('message', resolve))) as { healthz: { latencies: number[]; statuses: Record<string, number> } };
  expect(Object.keys(results.healthz.statuses)).toEqual(['200']);
  return results.healthz.latencies.sort((a, b) => a - b);
}

const start = Date.parse('2026-11-02T12:00:00Z') / 1000;
const seriesCount = 40_000;

/** Latencies of /healthz probes, one after another, until `done` settles. */
async function probeUntil(url: string, done: Promise<unknown>): Promise<number[]> {
  let finished = false;
  void done.finally(() => (finished = true));
  const latencies: number[] = [];
  while (!finished) {
    const sent = performance.now();
    const response = await fetch(`${url}/healthz`);
    await response.text();
    latencies.push(performance.now() - sent);
  }
  return latencies;
}

describe('a push at the limit is stored off the event loop', () => {
  test('pushes of 10,000 new series and of 100,000 samples: /healthz p99 under 100 ms from another process', async () => {
    // No cycle on the wall clock's schedule during the pushes: this measures the pushes alone.
    const daemon = await ingestDaemon('evaluation: {schedule: "0 0 1 1 *"}', start);
    try {
      // Built before probing: building them holds this process's event loop, which the daemon shares.
      const seriesPushes = [0, 1, 2].map((push) => seriesText(10_000, (start - 60) * 1000, push * 10_000));
      const lines: string[] = [];
      for (let s = 0; s < 10; s++) for (let i = 0; i < 10_000; i++) lines.push(`soak_batch_total{batch="b${s}"} ${i} ${(start - 600) * 1000 + i * 50}`);
      const samplesPush = `${lines.join('\n')}\n`;
      const latencies = await probedFromOutside(daemon.url, async () => {
        for (const body of seriesPushes) expect((await daemon.push(body)).status).toBe(200);
        const answer = await daemon.push(samplesPush);
        expect(answer.status).toBe(200);
        expect(answer.body.samples).toBe(100_000);
      });
      const p99 = latencies[Math.floor(latencies.length * 0.99)]!;
      console.log(`pushes at the limit: ${latencies.length} probes, p50 ${latencies[latencies.length >> 1]!.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${Math.round(latencies.at(-1)!)} ms`);
      expect(latencies.length).toBeGreaterThan(20);
      expect(p99).toBeLessThan(100);
      expect(daemon.app.db.prepare('SELECT count(*) FROM sample_series').pluck().get()).toBe(30_010);
    } finally {
      await daemon.close();
    }
  }, 240_000);
});

describe('evaluation over many series never starves the HTTP server', () => {
  test(`a cycle over ${seriesCount} series: /healthz answers within a second throughout, and stop() cuts a cycle short`, async () => {
    const daemon = await ingestDaemon('', start);
    try {
      for (let minute = 0; minute < 3; minute++) {
        for (let from = 0; from < seriesCount; from += 10_000) {
          const answer = await daemon.push(seriesText(10_000, (start - 180 + minute * 60) * 1000, from));
          expect(answer.status).toBe(200);
        }
      }
      daemon.clock.advance(120);
      const cycleStarted = performance.now();
      const cycle = daemon.app.tick();
      const latencies = await probeUntil(daemon.url, cycle);
      const cycleMs = performance.now() - cycleStarted;
      await cycle;
      const sorted = [...latencies].sort((a, b) => a - b);
      console.log(`cycle ${Math.round(cycleMs)} ms; ${latencies.length} probes; /healthz max ${Math.round(sorted.at(-1)!)} ms, p99 ${Math.round(sorted[Math.floor(sorted.length * 0.99)]!)} ms`);
      expect(latencies.length).toBeGreaterThan(3);
      expect(sorted.at(-1)!).toBeLessThan(1000);

      daemon.clock.advance(60);
      const next = daemon.app.tick().catch((error: unknown) => error);
      await fetch(`${daemon.url}/healthz`);
      const stopping = performance.now();
      await daemon.app.stop();
      const stopMs = performance.now() - stopping;
      console.log(`stop() during a cycle took ${Math.round(stopMs)} ms`);
      expect(stopMs).toBeLessThan(1000);
      expect(await next).toBeInstanceOf(Error);
    } finally {
      await daemon.close();
    }
  }, 240_000);
});
