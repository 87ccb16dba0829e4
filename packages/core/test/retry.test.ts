import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  backoffDelay,
  ConnectorError,
  DEFAULT_RETRY_POLICY,
  RetryExhaustedError,
  type RetryPolicy,
  retryWithBackoff,
  toConnectorError,
} from "../src/index.js";

const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1000 };

function failing(...errors: ConnectorError[]) {
  let calls = 0;
  const attempt = vi.fn(async () => {
    const error = errors[Math.min(calls, errors.length - 1)];
    calls += 1;
    if (error) throw error;
    return "ok";
  });
  return attempt;
}

const unavailable = () => new ConnectorError({ code: "upstream_unavailable", message: "503" });

describe("backoffDelay", () => {
  it("draws full jitter between the floor and base * 2^n, capped", () => {
    expect(backoffDelay(0, policy, () => 0.999)).toBe(99);
    expect(backoffDelay(2, policy, () => 0.5)).toBe(200);
    expect(backoffDelay(10, policy, () => 0.999)).toBe(999);
    // A zero draw still waits the floor: never a hot loop.
    expect(backoffDelay(0, policy, () => 0)).toBe(policy.minDelayMs);
  });
});

describe("retryWithBackoff (fake timers)", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const run = (
    attempt: () => Promise<string>,
    overrides: Partial<Parameters<typeof retryWithBackoff>[1]> = {},
  ) =>
    retryWithBackoff(attempt, {
      policy,
      deadlineAt: Date.now() + 60_000,
      signal: new AbortController().signal,
      idempotent: true,
      classify: (error) => toConnectorError(error),
      random: () => 0.5,
      ...overrides,
    });

  it("waits the jittered backoff between attempts and succeeds", async () => {
    const attempt = failing(unavailable(), unavailable(), undefined as unknown as ConnectorError);
    const delays: number[] = [];
    const promise = run(attempt, { onRetry: ({ delayMs }) => delays.push(delayMs) });
    await vi.advanceTimersByTimeAsync(49);
    expect(attempt).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(attempt).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(100);
    await expect(promise).resolves.toEqual({ value: "ok", attempts: 3 });
    expect(delays).toEqual([50, 100]);
  });

  it("gives up after maxRetries with the last error", async () => {
    const attempt = failing(unavailable());
    const promise = run(attempt).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(10_000);
    const error = (await promise) as RetryExhaustedError;
    expect(error).toBeInstanceOf(RetryExhaustedError);
    expect(error.attempts).toBe(4);
    expect(error.error.code).toBe("upstream_unavailable");
    expect(attempt).toHaveBeenCalledTimes(4);
  });

  it("honours Retry-After exactly when it is longer than the backoff", async () => {
    const limited = new ConnectorError({
      code: "rate_limited",
      message: "429",
      retryAfterMs: 5000,
      notApplied: true,
    });
    const attempt = failing(limited, undefined as unknown as ConnectorError);
    const promise = run(attempt);
    await vi.advanceTimersByTimeAsync(4999);
    expect(attempt).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(promise).resolves.toMatchObject({ attempts: 2 });
  });

  it("does not hot-loop on Retry-After: 0", async () => {
    const zero = new ConnectorError({
      code: "rate_limited",
      message: "429",
      retryAfterMs: 0,
      notApplied: true,
    });
    const attempt = failing(zero);
    const promise = run(attempt, { random: () => 0 }).catch(() => undefined);
    await vi.advanceTimersByTimeAsync(policy.minDelayMs - 1);
    expect(attempt).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(10_000);
    await promise;
    expect(attempt).toHaveBeenCalledTimes(4);
  });

  it("hands a Retry-After beyond the cap straight back instead of waiting", async () => {
    const long = new ConnectorError({ code: "rate_limited", message: "429", retryAfterMs: 3_600_000 });
    const attempt = failing(long);
    const error = (await run(attempt).catch((caught: unknown) => caught)) as RetryExhaustedError;
    expect(attempt).toHaveBeenCalledTimes(1);
    expect(error.error.retryAfterMs).toBe(3_600_000);
  });

  it("stops when the next wait would cross the deadline", async () => {
    const attempt = failing(new ConnectorError({ code: "rate_limited", message: "429", retryAfterMs: 2000 }));
    const promise = run(attempt, { deadlineAt: Date.now() + 1500 }).catch((caught: unknown) => caught);
    await vi.advanceTimersByTimeAsync(0);
    const error = (await promise) as RetryExhaustedError;
    expect(attempt).toHaveBeenCalledTimes(1);
    expect(error.error.code).toBe("rate_limited");
  });

  it("never retries a cancelled call, and a cancellation during the wait ends it", async () => {
    const controller = new AbortController();
    const attempt = failing(unavailable());
    const promise = run(attempt, { signal: controller.signal }).catch((caught: unknown) => caught);
    await vi.advanceTimersByTimeAsync(10);
    const cancelled = new ConnectorError({ code: "cancelled", message: "cancelled" });
    controller.abort(cancelled);
    expect(await promise).toBe(cancelled);
    expect(attempt).toHaveBeenCalledTimes(1);

    const attemptCancelled = failing(cancelled);
    await expect(run(attemptCancelled)).rejects.toBeInstanceOf(RetryExhaustedError);
    expect(attemptCancelled).toHaveBeenCalledTimes(1);
  });

  it("does not repeat a non-idempotent write unless the failure proves it was not applied", async () => {
    const ambiguous = failing(new ConnectorError({ code: "network", message: "reset" }));
    await expect(run(ambiguous, { idempotent: false })).rejects.toBeInstanceOf(RetryExhaustedError);
    expect(ambiguous).toHaveBeenCalledTimes(1);

    const refused = failing(
      new ConnectorError({ code: "network", message: "refused", notApplied: true }),
      undefined as unknown as ConnectorError,
    );
    const promise = run(refused, { idempotent: false });
    await vi.advanceTimersByTimeAsync(1000);
    await expect(promise).resolves.toMatchObject({ attempts: 2 });
  });

  it("does not retry errors that are not retryable", async () => {
    const attempt = failing(new ConnectorError({ code: "not_found", message: "404" }));
    await expect(run(attempt)).rejects.toBeInstanceOf(RetryExhaustedError);
    expect(attempt).toHaveBeenCalledTimes(1);
  });
});
