/**
 * Turn-taking for the database's write lock between the daemon's event loop and its ingest worker thread.
 *
 * SQLite's busy timeout waits synchronously: a write on the event loop while the worker copies a push would stop
 * the HTTP server for as long as the copy takes. With a turn, the event loop waits for the worker without blocking
 * (`run`: an async wait, then the write), and the worker, which may block, waits for the event loop's write to end
 * (`runBlocking`). Both sides share one word of memory.
 */
export interface WriteTurn {
  /** Runs `work` (synchronous writes) once no other thread is writing; waits without blocking the event loop. */
  run<T>(work: () => T): Promise<T>;
}

/** For a database no other thread writes: work runs at once. */
export const writeAtOnce: WriteTurn = { run: async (work) => work() };

const free = 0;
const loop = 1;
const worker = 2;

/** Above this, a waiting worker checks again (a turn is never held that long; this only bounds a lost wake-up). */
const workerRecheckMs = 1000;

export class SharedWriteTurn implements WriteTurn {
  private readonly word: Int32Array;
  private holding = false;

  /** `buffer`: one shared by both threads (a new one on the event loop's side, passed to the worker). */
  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(4)) {
    this.word = new Int32Array(buffer, 0, 1);
  }

  async run<T>(work: () => T): Promise<T> {
    // Nested inside a turn already held by this thread: the turn is ours.
    if (this.holding) return work();
    while (Atomics.compareExchange(this.word, 0, free, loop) !== free) {
      const waited = Atomics.waitAsync(this.word, 0, worker);
      if (waited.async) await waited.value;
    }
    this.holding = true;
    try {
      return work();
    } finally {
      this.holding = false;
      this.release();
    }
  }

  /** The worker thread's side: blocks while the event loop writes. */
  runBlocking<T>(work: () => T): T {
    while (Atomics.compareExchange(this.word, 0, free, worker) !== free) Atomics.wait(this.word, 0, loop, workerRecheckMs);
    try {
      return work();
    } finally {
      this.release();
    }
  }

  private release(): void {
    Atomics.store(this.word, 0, free);
    Atomics.notify(this.word, 0);
  }
}
