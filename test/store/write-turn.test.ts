import { Worker } from 'node:worker_threads';
import { describe, expect, test } from 'vitest';
import { SharedWriteTurn, writeAtOnce } from '../../src/store/write-turn.js';

/**
 * A worker thread holds the turn (as the ingest worker does while it copies a push); the event loop's write waits
 * for it without blocking, and the worker's next turn waits for the event loop's write to end.
 */
const holder = `
  const { workerData, parentPort } = require('node:worker_threads');
  const word = new Int32Array(workerData.buffer, 0, 1);
  parentPort.on('message', (holdMs) => {
    while (Atomics.compareExchange(word, 0, 0, 2) !== 0) Atomics.wait(word, 0, 1, 1000);
    parentPort.postMessage('holding');
    const until = Date.now() + holdMs;
    while (Date.now() < until) {}
    Atomics.store(word, 0, 0);
    Atomics.notify(word, 0);
    parentPort.postMessage('released');
  });
`;

function startHolder(turn: SharedWriteTurn): { hold(ms: number): Promise<void>; released(): Promise<void>; stop(): Promise<number> } {
  const worker = new Worker(holder, { eval: true, workerData: { buffer: turn.buffer } });
  const next = (message: string): Promise<void> => new Promise((resolve) => worker.on('message', (m) => m === message && resolve()));
  return {
    hold: (ms) => {
      const holding = next('holding');
      worker.postMessage(ms);
      return holding;
    },
    released: () => next('released'),
    stop: () => worker.terminate(),
  };
}

describe('write turn', () => {
  test('the event loop waits for the worker without blocking, then writes', async () => {
    const turn = new SharedWriteTurn();
    const worker = startHolder(turn);
    const released = worker.released();
    await worker.hold(300);
    const started = performance.now();
    let writtenAfter = 0;
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 10);
    const write = turn.run(() => {
      writtenAfter = performance.now() - started;
      return 42;
    });
    expect(await write).toBe(42);
    await released;
    clearInterval(ticker);
    // The write ran once the worker let go (it held the turn for 300 ms), and the event loop kept turning meanwhile.
    expect(writtenAfter).toBeGreaterThanOrEqual(250);
    expect(ticks).toBeGreaterThan(5);
    await worker.stop();
  }, 30_000);

  test('the worker waits while the event loop holds the turn', async () => {
    const turn = new SharedWriteTurn();
    const worker = startHolder(turn);
    let holding = false;
    await turn.run(() => {
      void worker.hold(0).then(() => (holding = true));
      const until = Date.now() + 200;
      while (Date.now() < until) void 0;
      // Messages cannot arrive during this synchronous write, and the worker could not take the turn.
      expect(new Int32Array(turn.buffer)[0]).toBe(1);
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(holding).toBe(true);
    await worker.stop();
  }, 30_000);

  test('a turn taken inside a turn runs at once; errors release the turn', async () => {
    const turn = new SharedWriteTurn();
    expect(await turn.run(() => turn.run(() => 'nested'))).toBe('nested');
    await expect(turn.run(() => {
      throw new Error('write failed');
    })).rejects.toThrow('write failed');
    expect(new Int32Array(turn.buffer)[0]).toBe(0);
    expect(await writeAtOnce.run(() => 'at once')).toBe('at once');
  });
});
