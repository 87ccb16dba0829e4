/**
 * Which pooled connections have died, and a way not to wait on one that has.
 *
 * When a connection drops (reset, closed, garbage on the wire), pg emits `error` and `end` on its Client and
 * rejects every query pending on it; a later `client.query()` rejects at once. pg-cursor is the exception:
 * `cursor.close()` sends Close and then waits for a ReadyForQuery that a dead connection never sends, so code
 * that closes its portal in `finally` (as every statement here does) would wait forever, holding the call
 * until its deadline. Every client the pool hands out is tracked from its `connect` on, so a loss during a
 * call is known even after the events have fired.
 */
import type pg from "pg";

interface LossState {
  lost: Error | undefined;
  readonly waiters: Set<() => void>;
}

const states = new WeakMap<object, LossState>();

/** Starts tracking `client` (idempotent). Also the `error` listener that keeps a dying connection from crashing the process. */
export function trackConnectionLoss(client: pg.Client): void {
  if (states.has(client)) return;
  const state: LossState = { lost: undefined, waiters: new Set() };
  states.set(client, state);
  const lose = (error: Error) => {
    if (state.lost) return;
    state.lost = error;
    for (const wake of state.waiters) wake();
    state.waiters.clear();
  };
  client.on("error", (error: Error) => lose(error));
  // `end` also follows an intentional client.end(): either way the connection can no longer answer.
  client.on("end", () => lose(new Error("Connection terminated")));
}

/** The error the connection died with, or undefined while it is alive (or untracked). */
export function connectionLost(client: pg.Client): Error | undefined {
  return states.get(client)?.lost;
}

/**
 * Runs `work` and waits for it, unless the connection is lost first (or already was): then it returns at
 * once, without waiting for `work` or starting it. Never rejects: for cleanup steps (closing a portal) whose
 * failure changes nothing.
 */
export async function unlessConnectionLost(client: pg.Client, work: () => Promise<unknown>): Promise<void> {
  trackConnectionLoss(client);
  const state = states.get(client) as LossState;
  if (state.lost) return;
  let running: Promise<unknown>;
  try {
    running = work();
  } catch {
    return;
  }
  let wake: (() => void) | undefined;
  const lost = new Promise<void>((resolve) => {
    wake = resolve;
    state.waiters.add(resolve);
  });
  try {
    await Promise.race([
      running.then(
        () => {},
        () => {},
      ),
      lost,
    ]);
  } finally {
    if (wake) state.waiters.delete(wake);
  }
}
