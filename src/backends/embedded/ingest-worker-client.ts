import { Worker } from 'node:worker_threads';
import type { IngestLimits } from './ingest-limits.js';
import type { IngestReply, IngestRequest, IngestWorkerData } from './ingest-worker.js';
import { deserializeIngestError } from './ingest-worker-errors.js';
import type { IngestCounts, IngestOptions } from './sample-store.js';

/**
 * Pushes parsed and stored off the daemon's event loop: a worker thread with its own connection to the same WAL
 * database runs the sample store's ingest (all-or-nothing, one transaction per push as before) while the HTTP
 * server and evaluation go on. Pushes are stored one after another, in the order they arrived.
 */
export interface IngestWorker {
  ingest(text: string, options: IngestOptions): Promise<IngestCounts>;
  close(): Promise<void>;
}

/**
 * The worker's script, beside this file: compiled, or the TypeScript source when the sources run as they are
 * (under a TypeScript loader, which the worker inherits with the parent's `execArgv`).
 */
function workerScript(): URL {
  return new URL(import.meta.url.endsWith('.ts') ? './ingest-worker.ts' : './ingest-worker.js', import.meta.url);
}

/** The worker thread died or failed during a push: nothing of it is known to be stored, and resending is safe. */
export class IngestWorkerFailure extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'IngestWorkerFailure';
  }
}

export function createIngestWorker(path: string, limits: IngestLimits, writeTurn: SharedArrayBuffer): IngestWorker {
  let worker: Worker | undefined;
  let nextId = 0;
  const pending = new Map<number, { resolve(counts: IngestCounts): void; reject(error: Error): void }>();

  const failAll = (error: Error): void => {
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
  };
  const start = (): Worker => {
    const data: IngestWorkerData = { path, limits, writeTurn };
    const started = new Worker(workerScript(), { workerData: data });
    // The daemon's HTTP server keeps the process alive; a worker left running must not.
    started.unref();
    started.on('message', (reply: IngestReply) => {
      const waiting = pending.get(reply.id);
      pending.delete(reply.id);
      if ('counts' in reply) waiting?.resolve(reply.counts);
      else waiting?.reject(deserializeIngestError(reply.error));
    });
    started.on('error', (error) => failAll(new IngestWorkerFailure(`the ingest worker failed: ${error.message}`, { cause: error })));
    started.on('exit', (code) => {
      if (worker === started) worker = undefined;
      failAll(new IngestWorkerFailure(`the ingest worker stopped (exit code ${code}); nothing of the push is known to be stored`));
    });
    return started;
  };

  return {
    ingest(text, options) {
      worker ??= start();
      const id = nextId++;
      const request: IngestRequest = { id, text, options };
      return new Promise<IngestCounts>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker!.postMessage(request);
      });
    },
    async close() {
      const running = worker;
      worker = undefined;
      if (running) await running.terminate();
    },
  };
}
