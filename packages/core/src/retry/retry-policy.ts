/** How failed attempts are repeated. Every field is bounded; the deadline bounds them all. */
export interface RetryPolicy {
  /** Retries after the first attempt. Default 3. */
  readonly maxRetries: number;
  /** Backoff base: attempt n waits a random time in [0, min(maxDelayMs, baseDelayMs * 2^n)]. Default 250 ms. */
  readonly baseDelayMs: number;
  /** Ceiling of one computed backoff. Default 8 s. */
  readonly maxDelayMs: number;
  /** Shortest wait between attempts, so `Retry-After: 0` or a zero jitter draw is never a hot loop. Default 50 ms. */
  readonly minDelayMs: number;
  /** Longest upstream-requested wait (`Retry-After`, reset headers) honoured; longer ones end the call. Default 60 s. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 3,
  baseDelayMs: 250,
  maxDelayMs: 8000,
  minDelayMs: 50,
  maxRetryAfterMs: 60_000,
};

/** Full-jitter exponential backoff (AWS architecture blog): spreads retries of many clients apart. */
export function backoffDelay(
  retryIndex: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retryIndex);
  return Math.max(policy.minDelayMs, Math.floor(random() * ceiling));
}
