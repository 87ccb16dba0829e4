import { sleep } from "../deadline/deadline.js";
import type { ConnectorError } from "../errors/connector-error.js";
import { backoffDelay, type RetryPolicy } from "./retry-policy.js";

export interface RetryContext {
  /** 1 for the first attempt. */
  readonly attempt: number;
}

export interface RetryEvent {
  readonly attempt: number;
  readonly error: ConnectorError;
  readonly delayMs: number;
}

export interface RetryOptions {
  readonly policy: RetryPolicy;
  /** Epoch ms: no attempt starts, and no wait ends, after it. */
  readonly deadlineAt: number;
  readonly signal: AbortSignal;
  /**
   * False for writes that are not idempotent: they are repeated only when the failure proves the request was
   * not applied (`error.notApplied`).
   */
  readonly idempotent: boolean;
  /** Vetoes a retry the error alone would allow (an open circuit must fail fast, not wait). */
  readonly mayRetry?: (error: ConnectorError) => boolean;
  /** Turns whatever an attempt threw into a ConnectorError. */
  readonly classify: (error: unknown) => ConnectorError;
  readonly onRetry?: (event: RetryEvent) => void;
  readonly random?: () => number;
  readonly now?: () => number;
}

export interface RetryOutcome<Result> {
  readonly value: Result;
  readonly attempts: number;
}

/** Carries the attempt count out of a failed run. */
export class RetryExhaustedError extends Error {
  constructor(
    readonly error: ConnectorError,
    readonly attempts: number,
  ) {
    super(error.message);
  }
}

/**
 * Runs `attempt` until it succeeds, the failure is not retryable, retries run out, or the next wait would
 * cross the deadline. Upstream waits (`retryAfterMs`) are honoured up to `maxRetryAfterMs`; a longer one is
 * handed to the caller at once instead of holding the call. A cancelled call is never retried.
 */
export async function retryWithBackoff<Result>(
  attempt: (context: RetryContext) => Promise<Result>,
  options: RetryOptions,
): Promise<RetryOutcome<Result>> {
  const now = options.now ?? Date.now;
  for (let attemptNumber = 1; ; attemptNumber += 1) {
    try {
      const value = await attempt({ attempt: attemptNumber });
      return { value, attempts: attemptNumber };
    } catch (thrown) {
      const error = options.classify(thrown);
      const delayMs = nextDelay(error, attemptNumber, options);
      if (delayMs === undefined || options.signal.aborted)
        throw new RetryExhaustedError(error, attemptNumber);
      if (now() + delayMs >= options.deadlineAt) throw new RetryExhaustedError(error, attemptNumber);
      options.onRetry?.({ attempt: attemptNumber, error, delayMs });
      await sleep(delayMs, options.signal);
    }
  }
}

function nextDelay(error: ConnectorError, attemptNumber: number, options: RetryOptions): number | undefined {
  const { policy } = options;
  if (error.code === "cancelled" || (error.code === "timeout" && options.signal.aborted)) return undefined;
  if (!error.retryable || error.code === "quota_exhausted") return undefined;
  if (options.mayRetry && !options.mayRetry(error)) return undefined;
  if (!options.idempotent && !error.notApplied) return undefined;
  if (attemptNumber > policy.maxRetries) return undefined;
  if (error.retryAfterMs !== undefined) {
    if (error.retryAfterMs > policy.maxRetryAfterMs) return undefined;
    // A zero or tiny Retry-After still waits a jittered backoff: never a hot loop.
    return Math.max(error.retryAfterMs, backoffDelay(attemptNumber - 1, policy, options.random));
  }
  return backoffDelay(attemptNumber - 1, policy, options.random);
}
