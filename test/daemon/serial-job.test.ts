import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { SerialJob } from '../../src/daemon/serial-job.js';
import { createLogger } from '../../src/log.js';

function logSink() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>), done()) });
  const log = createLogger('debug', sink);
  return { log, messages: () => lines.map((line) => line['msg']) };
}

function gated() {
  let open = () => undefined as void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  return { gate, open: () => open() };
}

describe('a serial job', () => {
  it('never runs twice at once: a direct run waits for the one under way, then runs', async () => {
    const { log } = logSink();
    const order: string[] = [];
    const first = gated();
    let runs = 0;
    const job = new SerialJob({
      name: 'test',
      log,
      work: async () => {
        const n = ++runs;
        order.push(`start ${n}`);
        if (n === 1) await first.gate;
        order.push(`end ${n}`);
        return n;
      },
    });
    const a = job.run();
    const b = job.run();
    first.open();
    expect(await Promise.all([a, b])).toEqual([1, 2]);
    expect(order).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
  });

  it('a trigger that finds a run under way is passed over and says so', async () => {
    const { log, messages } = logSink();
    const first = gated();
    let runs = 0;
    const job = new SerialJob({
      name: 'test',
      log,
      busy: 'still running: skipped',
      work: async () => {
        runs += 1;
        await first.gate;
      },
    });
    const running = job.trigger();
    const skipped = job.trigger();
    first.open();
    await Promise.all([running, skipped]);
    expect(runs).toBe(1);
    expect(messages()).toEqual(['still running: skipped']);
  });

  it('a triggered run that fails is logged and does not reject; a direct run rejects', async () => {
    const { log, messages } = logSink();
    const job = new SerialJob({ name: 'test', log, failed: 'the test job failed', work: () => Promise.reject(new Error('boom')) });
    await expect(job.trigger()).resolves.toBeUndefined();
    expect(messages()).toEqual(['the test job failed']);
    await expect(job.run()).rejects.toThrow('boom');
    // The next run is not held back by a failed one.
    await expect(job.run()).rejects.toThrow('boom');
  });

  it('stop waits for the run under way; an interval trigger beats at start and stops with the job', async () => {
    const { log } = logSink();
    const first = gated();
    let runs = 0;
    let finished = false;
    const job = new SerialJob({
      name: 'test',
      log,
      triggers: [{ everyMs: 60_000 }],
      work: async () => {
        runs += 1;
        await first.gate;
        finished = true;
      },
    });
    job.start();
    job.start();
    expect(runs).toBe(1);
    const stopped = job.stop();
    first.open();
    await stopped;
    expect(finished).toBe(true);
  });
});
