import { ConnectorError } from "../errors/connector-error.js";

/** A call's time budget: an absolute end and one signal that fires on the deadline or on cancellation. */
export interface Deadline {
  /** Epoch milliseconds at which the call must be over. */
  readonly at: number;
  readonly signal: AbortSignal;
  remainingMs(): number;
  /**
   * Why the call is over, as the error it should end with; undefined while it is not. Once the deadline has
   * passed this is the timeout even if its timer has not fired yet: an upstream client's own timeout set to
   * the same instant (axios, a socket timeout) can fail first, and that failure is the deadline, not `network`.
   */
  reason(): ConnectorError | undefined;
  dispose(): void;
}

export interface DeadlineOptions {
  readonly timeoutMs: number;
  readonly parent?: AbortSignal | undefined;
  readonly now?: () => number;
}

export function createDeadline(options: DeadlineOptions): Deadline {
  const now = options.now ?? Date.now;
  const at = now() + options.timeoutMs;
  const controller = new AbortController();
  let cause: ConnectorError | undefined;

  const expire = () => {
    if (controller.signal.aborted) return;
    cause = new ConnectorError({
      code: "timeout",
      message: `The call did not finish within its ${options.timeoutMs} ms deadline.`,
    });
    controller.abort(cause);
  };
  const cancel = () => {
    if (controller.signal.aborted) return;
    cause = new ConnectorError({ code: "cancelled", message: "The caller cancelled the call." });
    controller.abort(cause);
  };

  const timer = setTimeout(expire, Math.max(0, options.timeoutMs));
  timer.unref?.();
  if (options.parent?.aborted) cancel();
  else options.parent?.addEventListener("abort", cancel, { once: true });

  return {
    at,
    signal: controller.signal,
    remainingMs: () => Math.max(0, at - now()),
    reason: () => {
      if (!controller.signal.aborted && now() >= at) expire();
      return cause;
    },
    dispose() {
      clearTimeout(timer);
      options.parent?.removeEventListener("abort", cancel);
    },
  };
}

/** Waits `ms`, or rejects with the signal's reason as soon as it fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
