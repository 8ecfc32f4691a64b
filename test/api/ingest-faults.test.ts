import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { ExpositionError } from '../../src/backends/embedded/exposition-error.js';
import { createIngestWorker, IngestWorkerFailure } from '../../src/backends/embedded/ingest-worker-client.js';
import { defaultIngestLimits } from '../../src/backends/embedded/ingest-limits.js';
import { openDatabase } from '../../src/store/database.js';
import { SharedWriteTurn } from '../../src/store/write-turn.js';
import { createSampleStore } from '../../src/backends/embedded/sample-store.js';
import { apiHarness, closeHarnesses, type ErrorJson } from './api-harness.js';

/** A push that fails for a reason other than its samples is 5xx: pushers drop what is answered 4xx. */
describe('ingest faults', () => {
  afterEach(closeHarnesses);

  const pushFailingWith = async (error: Error) => {
    const h = await apiHarness({ embedded: true, wrapEmbedded: (backend) => ({ ...backend, push: () => Promise.reject(error) }) });
    return h.app.inject({ method: 'POST', url: '/api/v1/ingest', headers: { 'content-type': 'text/plain' }, payload: 'up 1 1000\n' });
  };

  test('the ingest worker failing during a push: 503 ingest_unavailable with Retry-After', async () => {
    const response = await pushFailingWith(new IngestWorkerFailure('the ingest worker stopped (exit code 1); nothing of the push is known to be stored'));
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('1');
    expect((response.json() as ErrorJson).error.code).toBe('ingest_unavailable');
  });

  test('an unexpected error: 500 in the shared shape, never 400 bad_samples', async () => {
    const response = await pushFailingWith(new TypeError('cannot read properties of undefined'));
    expect(response.statusCode).toBe(500);
    expect((response.json() as ErrorJson).error.code).not.toBe('bad_samples');
  });

  test('bad samples are still 400 with the line', async () => {
    const response = await pushFailingWith(new ExpositionError(3, 'expected a metric name, got "{"'));
    expect(response.statusCode).toBe(400);
    expect((response.json() as ErrorJson).error).toMatchObject({ code: 'bad_samples', message: expect.stringContaining('3') });
  });
});

describe('ingest worker client', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('a push cut off by the worker stopping rejects with IngestWorkerFailure; the next push starts a new worker', async () => {
    dir = mkdtempSync(join(tmpdir(), 'burnrate-ingest-worker-'));
    const path = join(dir, 'burnrate.db');
    const db = openDatabase(path);
    createSampleStore(db);
    const worker = createIngestWorker(path, defaultIngestLimits, new SharedWriteTurn().buffer);
    const lines = Array.from({ length: 50_000 }, (_, i) => `cut_total{pod="p${i % 5000}"} ${i} ${1_000_000 + i}`).join('\n');
    const cut = worker.ingest(`${lines}\n`, {});
    await worker.close();
    await expect(cut).rejects.toBeInstanceOf(IngestWorkerFailure);
    await expect(worker.ingest('after_total 1 2000000\n', {})).resolves.toMatchObject({ samples: 1 });
    await worker.close();
    db.close();
  }, 60_000);
});
