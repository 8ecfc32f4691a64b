import { describe, expect, test } from 'vitest';
import { ingestDaemon, seriesText } from './ingest-daemon.js';

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
