/**
 * Rate-limits log lines about failed authentication: at most one line per key (a token name, or a client address)
 * per interval, and that line counts the failures since the previous one. Pure: the caller passes the time.
 */
export class FailureLogLimiter {
  private readonly entries = new Map<string, { loggedAt: number; unlogged: number }>();

  constructor(
    private readonly intervalSeconds = 60,
    private readonly maxKeys = 10_000,
  ) {}

  /** Notes one failure at `now`: the count to log now (this failure and the unlogged ones before it), or undefined to stay quiet. */
  note(key: string, now: number): number | undefined {
    const entry = this.entries.get(key);
    if (entry !== undefined && now - entry.loggedAt < this.intervalSeconds) {
      entry.unlogged += 1;
      return undefined;
    }
    if (entry === undefined && this.entries.size >= this.maxKeys) this.forgetOlderThan(now - this.intervalSeconds);
    this.entries.delete(key);
    this.entries.set(key, { loggedAt: now, unlogged: 0 });
    return 1 + (entry?.unlogged ?? 0);
  }

  private forgetOlderThan(cutoff: number): void {
    for (const [key, entry] of this.entries) if (entry.loggedAt < cutoff) this.entries.delete(key);
    // Still full (a flood from many addresses inside one interval): drop the oldest key.
    if (this.entries.size >= this.maxKeys) this.entries.delete(this.entries.keys().next().value!);
  }
}
