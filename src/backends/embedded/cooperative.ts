/**
 * Long evaluations share the event loop: work written as a generator yields after each unit (a series, a step),
 * and the cooperative runner gives the loop a turn once the work has held it for a time slice, so health checks,
 * pushes and SIGTERM are answered during a heavy cycle.
 */
export type Work<T> = Generator<void, T, void>;

/** How long work may hold the event loop before it gives other callbacks a turn, ms. */
export const timeSliceMs = 10;

// The event loop is one resource: the slice counts from the last turn any cooperative work gave it.
let turnStarted = performance.now();

/** True once work has held the event loop for a whole time slice. */
export function turnIsOver(): boolean {
  return performance.now() - turnStarted >= timeSliceMs;
}

/** Lets timers and I/O (HTTP requests, signals) run, then starts a new slice. */
export async function giveTurn(): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  turnStarted = performance.now();
}

/** Runs work to its end without pausing (small in-memory inputs, synchronous callers). */
export function runToEnd<T>(work: Work<T>): T {
  for (;;) {
    const step = work.next();
    if (step.done === true) return step.value;
  }
}

/** Runs work to its end, giving the event loop a turn after every time slice. */
export async function runCooperatively<T>(work: Work<T>): Promise<T> {
  for (;;) {
    const step = work.next();
    if (step.done === true) return step.value;
    if (turnIsOver()) await giveTurn();
  }
}
