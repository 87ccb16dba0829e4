/**
 * Every contract call runs under an explicit deadline (passed to the connector as `deadlineMs`), and this
 * watchdog proves it: a call that has not settled `graceMs` after its deadline is reported as a hang instead of
 * holding the test until vitest's own timeout.
 */

export type Settled<T> =
  | { readonly state: "fulfilled"; readonly value: T; readonly durationMs: number }
  | { readonly state: "rejected"; readonly error: unknown; readonly durationMs: number }
  | { readonly state: "hung"; readonly durationMs: number };

/** Default slack between a call's deadline and the watchdog: the pipeline's own cleanup after an abort. */
export const DEFAULT_GRACE_MS = 1_000;

export async function settleWithin<T>(
  promise: Promise<T>,
  deadlineMs: number,
  graceMs = DEFAULT_GRACE_MS,
): Promise<Settled<T>> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const watchdog = new Promise<"hung">((resolve) => {
    timer = setTimeout(() => resolve("hung"), deadlineMs + graceMs);
  });
  try {
    const outcome = await Promise.race([
      promise.then(
        (value) => ({ state: "fulfilled" as const, value }),
        (error: unknown) => ({ state: "rejected" as const, error }),
      ),
      watchdog,
    ]);
    const durationMs = Math.round(performance.now() - started);
    if (outcome === "hung") {
      // The call is still running; make sure its eventual rejection is not reported as unhandled.
      promise.catch(() => {});
      return { state: "hung", durationMs };
    }
    return { ...outcome, durationMs };
  } finally {
    clearTimeout(timer);
  }
}

/** Awaits a call under the watchdog and returns its value, or throws its error, or throws "hung". */
export async function withinDeadline<T>(
  promise: Promise<T>,
  deadlineMs: number,
  graceMs = DEFAULT_GRACE_MS,
): Promise<T> {
  const settled = await settleWithin(promise, deadlineMs, graceMs);
  if (settled.state === "fulfilled") return settled.value;
  if (settled.state === "rejected") throw settled.error;
  throw new Error(
    `The call did not settle within its deadline (${deadlineMs} ms + ${graceMs} ms grace): it hangs.`,
  );
}
