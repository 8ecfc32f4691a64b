/**
 * At most `limit` requests started in any `windowMs` per key (a Teams webhook URL). A request over the limit
 * waits for its turn, in the order it asked; none is dropped. Teams throttles above 4 requests a second, so
 * burnrate's own bursts (a flush of many groups, retries after an outage) queue here instead of earning 429s.
 */
export interface RateLimiter {
  /** Resolves when a request to `key` may start, and counts it. */
  acquire(key: string): Promise<void>;
}

export interface RateLimiterOptions {
  limit: number;
  windowMs: number;
  /** Milliseconds, monotonic. Default performance.now(). */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const starts = new Map<string, number[]>();
  const queues = new Map<string, Promise<void>>();

  const take = async (key: string): Promise<void> => {
    const times = starts.get(key) ?? [];
    starts.set(key, times);
    for (;;) {
      const t = now();
      while (times.length > 0 && (times[0] ?? 0) <= t - options.windowMs) times.shift();
      if (times.length < options.limit) {
        times.push(t);
        return;
      }
      await sleep(Math.max(1, (times[0] ?? t) + options.windowMs - t));
    }
  };

  return {
    acquire(key) {
      const turn = (queues.get(key) ?? Promise.resolve()).then(() => take(key));
      const settled = turn.catch(() => undefined);
      queues.set(key, settled);
      void settled.then(() => {
        if (queues.get(key) === settled) queues.delete(key);
      });
      return turn;
    },
  };
}

/**
 * The limiter every Teams channel of this process shares, so two receivers posting to one webhook URL share its
 * budget: 4 requests in 1.1 s (the 0.1 s keeps arrivals at Teams within 4 a second despite network jitter).
 */
export const teamsRateLimiter: RateLimiter = createRateLimiter({ limit: 4, windowMs: 1100 });
