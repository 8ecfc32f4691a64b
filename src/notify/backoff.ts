export interface BackoffPolicy {
  /** First retry delay, seconds. */
  initial: number;
  /** Longest delay, seconds. */
  max: number;
}

export const defaultBackoff: BackoffPolicy = { initial: 5, max: 300 };

/**
 * Delay before attempt `attempt + 1` (attempt ≥ 1): exponential with full jitter, never shorter than what
 * the receiver asked for (Retry-After). `random` in [0, 1) is passed in so tests are exact.
 */
export function retryDelay(attempt: number, policy: BackoffPolicy, random: number, retryAfter?: number): number {
  const ceiling = Math.min(policy.max, policy.initial * 2 ** (attempt - 1));
  const jittered = ceiling / 2 + (ceiling / 2) * random;
  return Math.max(jittered, retryAfter ?? 0);
}
