import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase, type Db } from '../../store/database.js';
import { SharedWriteTurn } from '../../store/write-turn.js';
import type { IngestLimits } from './ingest-limits.js';
import { createSampleStore, type IngestCounts, type IngestOptions, type SampleStore } from './sample-store.js';
import { serializeIngestError, type SerializedIngestError } from './ingest-worker-errors.js';

/** Set up once per worker: the database file and the store's limits. */
export interface IngestWorkerData {
  path: string;
  limits: IngestLimits;
  /** The write turn shared with the event loop (store/write-turn.ts). */
  writeTurn: SharedArrayBuffer;
}

export interface IngestRequest {
  id: number;
  text: string;
  options: IngestOptions;
}

export type IngestReply = { id: number; counts: IngestCounts } | { id: number; error: SerializedIngestError };

// The worker's own connection to the daemon's database (WAL: its writes are seen by the daemon's connection).
const { path, limits, writeTurn } = workerData as IngestWorkerData;
const turn = new SharedWriteTurn(writeTurn);
let db: Db | undefined;
let store: SampleStore | undefined;

parentPort?.on('message', (request: IngestRequest) => {
  let reply: IngestReply;
  try {
    db ??= openDatabase(path);
    store ??= createSampleStore(db, limits, { blocking: (work) => turn.runBlocking(work) });
    reply = { id: request.id, counts: store.ingest(request.text, request.options) };
  } catch (error) {
    reply = { id: request.id, error: serializeIngestError(error) };
  }
  parentPort?.postMessage(reply);
});

parentPort?.once('close', () => db?.close());
