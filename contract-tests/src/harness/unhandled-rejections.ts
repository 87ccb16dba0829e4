/**
 * Records every unhandled promise rejection of the worker, so a scenario (the fault matrix above all) can
 * assert that a failing upstream never leaves a rejection nobody awaited. Vitest reports them too, but only
 * at the end of the run and without saying which call produced them.
 */

const seen: unknown[] = [];
const uncaught: unknown[] = [];
let installed = false;
let catching = false;

function track(reason: unknown): void {
  seen.push(reason);
}

function trackUncaught(error: unknown): void {
  uncaught.push(error);
}

export function installUnhandledRejectionTracking(): void {
  if (installed) return;
  installed = true;
  process.on("unhandledRejection", track);
}

export function removeUnhandledRejectionTracking(): void {
  if (!installed) return;
  installed = false;
  process.off("unhandledRejection", track);
  if (catching) {
    catching = false;
    process.off("uncaughtException", trackUncaught);
  }
}

/**
 * Also records uncaught exceptions (an `error` event nobody listens to) instead of letting them end the
 * process: for the fault-matrix script, which must report such a cell rather than die in it. Vitest workers
 * have their own handler and fail the run on them, so the test suite does not call this.
 */
export function catchUncaughtExceptions(): void {
  if (catching) return;
  catching = true;
  process.on("uncaughtException", trackUncaught);
}

/** The uncaught exceptions recorded since the last call (only with `catchUncaughtExceptions`). */
export function takeUncaughtExceptions(): unknown[] {
  return uncaught.splice(0, uncaught.length);
}

/** The rejections recorded since the last call, forgotten once returned. */
export function takeUnhandledRejections(): unknown[] {
  return seen.splice(0, seen.length);
}

/** Lets pending rejections surface: they are reported after the microtask queue drains. */
export async function settleRejections(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
}
