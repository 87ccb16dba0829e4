import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createDeadline, sleep } from "../src/index.js";

describe("createDeadline (fake timers)", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("fires a timeout error at the deadline", async () => {
    const deadline = createDeadline({ timeoutMs: 1000 });
    await vi.advanceTimersByTimeAsync(999);
    expect(deadline.signal.aborted).toBe(false);
    expect(deadline.remainingMs()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.reason()?.code).toBe("timeout");
    deadline.dispose();
  });

  it("is over once its time has passed, even before its timer fires", () => {
    let clock = 0;
    const deadline = createDeadline({ timeoutMs: 1000, now: () => clock });
    clock = 999;
    expect(deadline.reason()).toBeUndefined();
    clock = 1000;
    expect(deadline.reason()?.code).toBe("timeout");
    expect(deadline.signal.aborted).toBe(true);
    deadline.dispose();
  });

  it("turns the caller's abort into a cancelled error", () => {
    const controller = new AbortController();
    const deadline = createDeadline({ timeoutMs: 1000, parent: controller.signal });
    controller.abort();
    expect(deadline.reason()?.code).toBe("cancelled");
    deadline.dispose();
  });

  it("is cancelled at once when the parent is already aborted", () => {
    const deadline = createDeadline({ timeoutMs: 1000, parent: AbortSignal.abort() });
    expect(deadline.reason()?.code).toBe("cancelled");
  });

  it("sleep rejects with the signal's reason when aborted", async () => {
    const controller = new AbortController();
    const promise = sleep(10_000, controller.signal);
    controller.abort(new Error("stop"));
    await expect(promise).rejects.toThrow("stop");
  });
});
