import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import {
  type BucketSpecs,
  ConnectorError,
  connectRedis,
  createConnector,
  defineTool,
  RateLimiter,
  READ_ANNOTATIONS,
  type ScheduleOptions,
  TenantQuota,
} from "../src/index.js";
import { LocalBucket } from "../src/rate-limit/local-bucket.js";
import { dropPrefix, testRedis } from "./support/redis.js";

const noSignal = () => new AbortController().signal;

function deferred<Value = void>() {
  let resolve!: (value: Value) => void;
  const promise = new Promise<Value>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** Most starts in any window of `intervalMs` (a start at t counts in (t - intervalMs, t], as upstreams count). */
function maxInWindow(starts: readonly number[], intervalMs: number): number {
  const sorted = [...starts].sort((a, b) => a - b);
  let best = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last += 1) {
    while ((sorted[last] as number) - (sorted[first] as number) >= intervalMs) first += 1;
    best = Math.max(best, last - first + 1);
  }
  return best;
}

describe("RateLimiter (in process)", () => {
  it("holds calls while the upstream says the budget is exhausted, until its reset", async () => {
    const limiter = new RateLimiter({ namespace: "t", buckets: { read: {} } });
    limiter.observe("read", "cred", { limit: 100, remaining: 0, resetAt: Date.now() + 300 });
    expect(limiter.state("read", "cred")).toMatchObject({ remaining: 0, limit: 100 });
    const started = Date.now();
    const result = await limiter.schedule(
      { bucket: "read", key: "cred", signal: noSignal(), deadlineAt: Date.now() + 5000 },
      async () => Date.now() - started,
    );
    expect(result.value).toBeGreaterThanOrEqual(250);
    expect(result.waitedMs).toBeGreaterThanOrEqual(250);
    await limiter.close();
  });

  it("refuses at once with rate_limited when the reset is beyond the call's deadline", async () => {
    const limiter = new RateLimiter({ namespace: "t", buckets: { read: {} } });
    limiter.pauseUntil("read", "cred", Date.now() + 60_000);
    let ran = false;
    const error = (await limiter
      .schedule(
        { bucket: "read", key: "cred", signal: noSignal(), deadlineAt: Date.now() + 1000 },
        async () => {
          ran = true;
        },
      )
      .catch((caught: unknown) => caught)) as ConnectorError;
    expect(ran).toBe(false);
    expect(error.code).toBe("rate_limited");
    expect(error.retryAfterMs).toBeGreaterThan(58_000);
    expect(error.notApplied).toBe(true);
    await limiter.close();
  });

  it("keeps separate budgets per key", async () => {
    const limiter = new RateLimiter({ namespace: "t", buckets: { read: {} } });
    limiter.pauseUntil("read", "token-a", Date.now() + 60_000);
    const result = await limiter.schedule(
      { bucket: "read", key: "token-b", signal: noSignal(), deadlineAt: Date.now() + 1000 },
      async () => "b ran",
    );
    expect(result.value).toBe("b ran");
    await limiter.close();
  });

  it("paces calls when the remaining budget falls below the watermark", async () => {
    const limiter = new RateLimiter({ namespace: "t", buckets: { read: { paceBelowShare: 0.5 } } });
    // 2 left of 100 for the next 400 ms: calls are spread about 200 ms apart.
    limiter.observe("read", "cred", { limit: 100, remaining: 2, resetAt: Date.now() + 400 });
    const starts: number[] = [];
    await Promise.all(
      [1, 2, 3].map(() =>
        limiter.schedule(
          { bucket: "read", key: "cred", signal: noSignal(), deadlineAt: Date.now() + 5000 },
          async () => {
            starts.push(Date.now());
          },
        ),
      ),
    );
    starts.sort((a, b) => a - b);
    expect((starts[2] as number) - (starts[0] as number)).toBeGreaterThanOrEqual(300);
    await limiter.close();
  });

  it("ends a queued call when its signal fires, without running it", async () => {
    const limiter = new RateLimiter({ namespace: "t", buckets: { write: { maxConcurrent: 1 } } });
    let release: () => void = () => {};
    let started: () => void = () => {};
    const blockerStarted = new Promise<void>((resolve) => (started = resolve));
    const blocker = limiter.schedule(
      { bucket: "write", key: "k", signal: noSignal(), deadlineAt: Date.now() + 5000 },
      () =>
        new Promise<void>((resolve) => {
          release = resolve;
          started();
        }),
    );
    await blockerStarted;
    const controller = new AbortController();
    let ran = false;
    const queued = limiter
      .schedule(
        { bucket: "write", key: "k", signal: controller.signal, deadlineAt: Date.now() + 5000 },
        async () => {
          ran = true;
        },
      )
      .catch((caught: unknown) => caught);
    controller.abort(new ConnectorError({ code: "cancelled", message: "cancelled" }));
    expect(((await queued) as ConnectorError).code).toBe("cancelled");
    release();
    await blocker;
    // A call queued after it (one at a time, first in first out) runs only once the cancelled one had its turn.
    const after = await limiter.schedule(
      { bucket: "write", key: "k", signal: noSignal(), deadlineAt: Date.now() + 5000 },
      async () => "after",
    );
    expect(after.value).toBe("after");
    expect(ran).toBe(false);
    await limiter.close();
  });

  it("rejects an undeclared bucket as a connector bug", async () => {
    const limiter = new RateLimiter({ namespace: "t", buckets: { read: {} } });
    await expect(
      limiter.schedule(
        { bucket: "nope", key: "k", signal: noSignal(), deadlineAt: Date.now() + 100 },
        async () => 1,
      ),
    ).rejects.toMatchObject({ code: "internal" });
  });
});

describe("RateLimiter in process: core's scheduler, on fake timers", () => {
  const T0 = 1_000_000;
  beforeEach(() => {
    vi.useFakeTimers({ now: T0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A limiter with one bucket, and a way to schedule calls that record when (relative to T0) they started. */
  function setup(buckets: BucketSpecs) {
    const limiter = new RateLimiter({ namespace: "t", buckets });
    const starts: number[] = [];
    const order: string[] = [];
    const call = (
      name: string,
      options: Partial<ScheduleOptions> = {},
      work: () => Promise<unknown> = async () => {},
    ) =>
      limiter.schedule(
        {
          bucket: Object.keys(buckets)[0] as string,
          key: "cred",
          signal: noSignal(),
          deadlineAt: Date.now() + 60_000,
          ...options,
        },
        async () => {
          starts.push(Date.now() - T0);
          order.push(name);
          return await work();
        },
      );
    return { limiter, starts, order, call };
  }

  it("starts a call that has room synchronously, with no timer and no wait", async () => {
    const { limiter, order, call } = setup({
      read: { maxConcurrent: 2, reservoir: { amount: 5, intervalMs: 1000 } },
    });
    const first = call("a");
    // The call was handed to the upstream before schedule() returned: no timer, no tick in between.
    expect(order).toEqual(["a"]);
    expect(vi.getTimerCount()).toBe(0);
    expect(await first).toMatchObject({ waitedMs: 0 });
    await limiter.close();
  });

  it("spaces starts by minTimeMs measured from the previous actual start", async () => {
    const { limiter, starts, call } = setup({ write: { minTimeMs: 100 } });
    const burst = Promise.all([call("a"), call("b"), call("c"), call("d")]);
    // Only the first started; one timer waits for the next.
    expect(starts).toEqual([0]);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(1000);
    const results = await burst;
    expect(starts).toEqual([0, 100, 200, 300]);
    expect(results.map((result) => result.waitedMs)).toEqual([0, 100, 200, 300]);
    // Spacing counts from the last start, not from when a call was queued: after a quiet 250 ms a call starts
    // at once, and the one after it 100 ms later.
    await vi.advanceTimersByTimeAsync(250);
    const late = Promise.all([call("e"), call("f")]);
    await vi.advanceTimersByTimeAsync(1000);
    await late;
    expect(starts.slice(4)).toEqual([1250, 1350]);
    expect(vi.getTimerCount()).toBe(0);
    await limiter.close();
  });

  it("keeps a sliding window on start times: at most `amount` starts in any interval", async () => {
    const { limiter, starts, call } = setup({ search: { reservoir: { amount: 3, intervalMs: 1000 } } });
    const calls: Promise<unknown>[] = [call("a")];
    await vi.advanceTimersByTimeAsync(500);
    calls.push(call("b"), call("c"));
    await vi.advanceTimersByTimeAsync(100);
    // t = 600: the window (t - 1000, t] already holds 3 starts.
    calls.push(call("d"), call("e"), call("f"));
    await vi.advanceTimersByTimeAsync(5000);
    await Promise.all(calls);
    // d starts when a's start (t = 0) leaves the window, e and f when b's and c's (t = 500) do. A reservoir
    // refilled every 1000 ms from t = 0 would have let d, e and f go together at t = 1000.
    expect(starts).toEqual([0, 500, 500, 1000, 1500, 1500]);
    expect(maxInWindow(starts, 1000)).toBe(3);
    await limiter.close();
  });

  it("holds both the spacing and the window under a long burst", async () => {
    const { limiter, starts, call } = setup({
      read: { minTimeMs: 10, reservoir: { amount: 100, intervalMs: 1000 } },
    });
    const burst = Promise.all(Array.from({ length: 350 }, (_, index) => call(String(index))));
    await vi.advanceTimersByTimeAsync(10_000);
    await burst;
    expect(starts).toHaveLength(350);
    expect(maxInWindow(starts, 1000)).toBe(100);
    const gaps = starts.slice(1).map((start, index) => start - (starts[index] as number));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(10);
    // The pace is the limit itself: 350 starts need three full windows and 49 more spacings.
    expect(starts.at(-1)).toBe(3000 + 49 * 10);
    await limiter.close();
  });

  it("runs at most maxConcurrent calls at once, and the next starts as soon as one ends", async () => {
    const { limiter, order, call } = setup({ read: { maxConcurrent: 2 } });
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const all = Promise.all(gates.map((gate, index) => call(String(index), {}, () => gate.promise)));
    expect(order).toEqual(["0", "1"]);
    // Waiting on concurrency needs no timer: the end of a call starts the next.
    expect(vi.getTimerCount()).toBe(0);
    gates[1]?.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual(["0", "1", "2"]);
    gates[0]?.resolve();
    gates[2]?.resolve();
    gates[3]?.resolve();
    await all;
    expect(order).toEqual(["0", "1", "2", "3"]);
    await limiter.close();
  });

  it("serves waiting calls first in, first out; a newcomer does not overtake them", async () => {
    const { limiter, order, call } = setup({ write: { maxConcurrent: 1, minTimeMs: 50 } });
    const first = deferred();
    const calls = [call("a", {}, () => first.promise), call("b"), call("c")];
    await vi.advanceTimersByTimeAsync(200);
    expect(order).toEqual(["a"]);
    first.resolve();
    // The slot is free and the spacing long over: b, then c 50 ms later. d arrives meanwhile and queues.
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual(["a", "b"]);
    calls.push(call("d"));
    await vi.advanceTimersByTimeAsync(500);
    await Promise.all(calls);
    expect(order).toEqual(["a", "b", "c", "d"]);
    await limiter.close();
  });

  it("a queued call whose signal fires leaves the queue at once with the signal's reason", async () => {
    const { limiter, order, call } = setup({ write: { minTimeMs: 1000 } });
    await call("a");
    const controller = new AbortController();
    const queued = call("b", { signal: controller.signal }).catch((caught: unknown) => caught);
    const after = call("c");
    expect(vi.getTimerCount()).toBe(1);
    const reason = new ConnectorError({ code: "cancelled", message: "cancelled" });
    controller.abort(reason);
    // Rejected without any time passing; c moved up and keeps the only timer.
    expect(await queued).toBe(reason);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(1000);
    await after;
    expect(order).toEqual(["a", "c"]);
    expect(vi.getTimerCount()).toBe(0);
    await limiter.close();
  });

  it("leaks nothing: cancelled and finished calls leave no waiter, timer or abort listener behind", async () => {
    const bucket = new LocalBucket({ maxConcurrent: 1, minTimeMs: 10 }, Date.now);
    const shared = new AbortController();
    const added = vi.spyOn(shared.signal, "addEventListener");
    const removed = vi.spyOn(shared.signal, "removeEventListener");
    const request = (signal: AbortSignal) => ({
      signal,
      deadlineAt: Date.now() + 60_000,
      pausedUntil: () => 0,
      refuse: () => new Error("refused"),
    });
    expect(bucket.tryStart(request(shared.signal))).toBe(true);
    const cancelled = Array.from({ length: 1000 }, () => {
      const controller = new AbortController();
      return { controller, waiting: bucket.wait(request(controller.signal)).catch(() => "cancelled") };
    });
    // Calls that will start, all with one long-lived signal (a caller's own signal reused across calls).
    const starting = Array.from({ length: 5 }, () => bucket.wait(request(shared.signal)));
    expect(bucket.queued).toBe(1005);
    for (const { controller } of cancelled) controller.abort(new Error("stop"));
    expect(await Promise.all(cancelled.map(({ waiting }) => waiting))).toEqual(Array(1000).fill("cancelled"));
    expect(bucket.queued).toBe(5);
    for (let started = 0; started < 5; started += 1) {
      bucket.release();
      await vi.advanceTimersByTimeAsync(10);
    }
    await Promise.all(starting);
    bucket.release();
    expect(bucket.queued).toBe(0);
    expect(bucket.active).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    expect(added).toHaveBeenCalledTimes(5);
    expect(removed).toHaveBeenCalledTimes(5);
  });

  it("measures spacing and the window on its fine clock, not on whole epoch milliseconds", () => {
    let tick = 0.9;
    const bucket = new LocalBucket(
      { minTimeMs: 10, reservoir: { amount: 1, intervalMs: 20 } },
      () => Math.floor(tick),
      () => tick,
    );
    const request = {
      signal: noSignal(),
      deadlineAt: Number.POSITIVE_INFINITY,
      pausedUntil: () => 0,
      refuse: () => new Error("refused"),
    };
    expect(bucket.tryStart(request)).toBe(true);
    bucket.release();
    // 10 whole milliseconds on the epoch clock, 9.6 in fact: not yet.
    tick = 10.5;
    expect(bucket.tryStart(request)).toBe(false);
    // The window: 20 ms after the first start, not 20 whole milliseconds after 0.
    tick = 20.5;
    expect(bucket.tryStart(request)).toBe(false);
    tick = 20.9;
    expect(bucket.tryStart(request)).toBe(true);
  });

  it("refuses at once with rate_limited (notApplied) when the window cannot open before the deadline", async () => {
    const { limiter, order, call } = setup({ history: { reservoir: { amount: 1, intervalMs: 60_000 } } });
    await call("a");
    await vi.advanceTimersByTimeAsync(5_000);
    const error = (await call("b", { deadlineAt: Date.now() + 30_000 }).catch(
      (caught: unknown) => caught,
    )) as ConnectorError;
    expect(error.code).toBe("rate_limited");
    expect(error.notApplied).toBe(true);
    expect(error.retryAfterMs).toBe(55_000);
    expect(order).toEqual(["a"]);
    expect(vi.getTimerCount()).toBe(0);
    await limiter.close();
  });

  it("refuses, before waiting, the queued calls that could only start after their deadline", async () => {
    const { limiter, starts, call } = setup({ write: { minTimeMs: 100 } });
    const outcomes = Array.from({ length: 10 }, (_, index) =>
      call(String(index), { deadlineAt: Date.now() + 450 }).then(
        () => "ran",
        (error: ConnectorError) => error.code,
      ),
    );
    // Places 6 to 10 would start at 500 ms or later: they are refused now, while places 2 to 5 wait.
    const refused = await Promise.all(outcomes.slice(5));
    expect(refused).toEqual(Array(5).fill("rate_limited"));
    expect(starts).toEqual([0]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await Promise.all(outcomes.slice(0, 5))).toEqual(Array(5).fill("ran"));
    expect(starts).toEqual([0, 100, 200, 300, 400]);
    await limiter.close();
  });

  it("counts the window's later rounds when it refuses queued calls early", async () => {
    const { limiter, starts, call } = setup({ search: { reservoir: { amount: 2, intervalMs: 1000 } } });
    const outcomes = Array.from({ length: 7 }, (_, index) =>
      call(String(index), { deadlineAt: Date.now() + 1500 }).then(
        () => "ran",
        (error: ConnectorError) => error.code,
      ),
    );
    // Two start now, two when the window lets them at 1000 ms; the 5th to 7th could not start before 2000 ms.
    expect(await Promise.all(outcomes.slice(4))).toEqual(Array(3).fill("rate_limited"));
    await vi.advanceTimersByTimeAsync(2000);
    expect(await Promise.all(outcomes.slice(0, 4))).toEqual(Array(4).fill("ran"));
    expect(starts).toEqual([0, 0, 1000, 1000]);
    await limiter.close();
  });

  it("a pause holds the queued calls, not the started ones, and they resume at the bucket's pace", async () => {
    const { limiter, starts, order, call } = setup({ write: { minTimeMs: 100 } });
    const inFlight = deferred();
    const started = call("a", {}, () => inFlight.promise);
    const queued = [call("b"), call("c")];
    const short = call("d", { deadlineAt: Date.now() + 500 }).catch((caught: unknown) => caught);
    await vi.advanceTimersByTimeAsync(50);
    // The upstream answers a's request with 429 and Retry-After.
    limiter.pauseUntil("write", "cred", Date.now() + 950);
    // d cannot start before the pause ends, after its deadline: refused at once, not at its deadline.
    expect(await short).toMatchObject({ code: "rate_limited", notApplied: true, retryAfterMs: 950 });
    inFlight.resolve();
    await started;
    await vi.advanceTimersByTimeAsync(2000);
    await Promise.all(queued);
    // b and c did not start during the pause, and did not start together when it ended.
    expect(order).toEqual(["a", "b", "c"]);
    expect(starts).toEqual([0, 1000, 1100]);
    expect(limiter.state("write", "cred").pausedUntil).toBeUndefined();
    await limiter.close();
  });

  it("a pause of the parent key holds its sub-keys' queued calls", async () => {
    const { limiter, starts, call } = setup({ post: { maxConcurrent: 1, minTimeMs: 100 } });
    const channel = { key: "cred:C1", parentKey: "cred" };
    await call("a", channel);
    const next = call("b", channel);
    limiter.pauseUntil("post", "cred", Date.now() + 2000);
    await vi.advanceTimersByTimeAsync(3000);
    await next;
    expect(starts).toEqual([0, 2000]);
    await limiter.close();
  });

  it("paces by upstream headers, and lets queued calls go as soon as the budget recovers", async () => {
    const { limiter, starts, call } = setup({ read: { paceBelowShare: 0.5 } });
    // 2 left of 100 for the next 400 ms: calls 200 ms apart.
    limiter.observe("read", "cred", { limit: 100, remaining: 2, resetAt: Date.now() + 400 });
    const paced = Promise.all([call("a"), call("b"), call("c")]);
    await vi.advanceTimersByTimeAsync(1000);
    await paced;
    expect(starts).toEqual([0, 200, 400]);
    // 2 left for the next 20 s: 10 s apart (the cap), counted from c's start.
    limiter.observe("read", "cred", { limit: 100, remaining: 2, resetAt: Date.now() + 20_000 });
    const slow = [call("d"), call("e")];
    await vi.advanceTimersByTimeAsync(0);
    expect(starts).toHaveLength(3);
    // A fresh budget: the spacing is lifted and the waiting call starts without sitting out the old one.
    limiter.observe("read", "cred", { limit: 100, remaining: 99, resetAt: Date.now() + 60_000 });
    await vi.advanceTimersByTimeAsync(0);
    await Promise.all(slow);
    expect(starts.slice(3)).toEqual([1000, 1000]);
    await limiter.close();
  });

  it("close() ends the calls still waiting, with cancelled, and leaves no timer", async () => {
    const { limiter, call } = setup({ write: { minTimeMs: 1000 } });
    await call("a");
    const waiting = call("b").catch((caught: unknown) => caught);
    await limiter.close();
    expect(await waiting).toMatchObject({ code: "cancelled" });
    expect(vi.getTimerCount()).toBe(0);
  });

  it("an upstream 429 pauses the bucket before its slot goes to the next queued call", async () => {
    const arrivals: number[] = [];
    const tool = defineTool({
      name: "limited_get",
      title: "Limited get",
      description: "A read the upstream refuses once with 429.",
      input: z.object({}),
      output: z.object({ n: z.number() }),
      annotations: READ_ANNOTATIONS,
      async execute() {
        arrivals.push(Date.now() - T0);
        if (arrivals.length === 1) {
          throw new ConnectorError({ code: "rate_limited", message: "429", retryAfterMs: 1000 });
        }
        return { n: arrivals.length };
      },
    });
    const connector = createConnector({
      id: "limited",
      title: "Limited",
      tools: [tool],
      buckets: { read: { maxConcurrent: 1 } },
      client: () => ({}),
      options: { retry: { baseDelayMs: 1, minDelayMs: 1, maxDelayMs: 5 } },
    });
    const first = connector.call("limited_get", {});
    const queued = connector.call("limited_get", {});
    await vi.advanceTimersByTimeAsync(3000);
    const [a, b] = await Promise.all([first, queued]);
    // The queued call did not slip into the slot the 429 freed: it waited out the pause like the retry did.
    expect(arrivals[0]).toBe(0);
    expect(Math.min(...arrivals.slice(1))).toBeGreaterThanOrEqual(1000);
    expect(a.metadata.attempts).toBe(2);
    expect(b.metadata.attempts).toBe(1);
    expect(b.metadata.rateLimitWaitMs).toBeGreaterThanOrEqual(1000);
    await connector.close();
  });

  it("the limiter's own refusal does not pause the bucket for the calls ahead of it", async () => {
    let arrivals = 0;
    const tool = defineTool({
      name: "paced_get",
      title: "Paced get",
      description: "A read through a spaced bucket.",
      input: z.object({}),
      output: z.object({ n: z.number() }),
      annotations: READ_ANNOTATIONS,
      async execute() {
        arrivals += 1;
        return { n: arrivals };
      },
    });
    const connector = createConnector({
      id: "paced",
      title: "Paced",
      tools: [tool],
      buckets: { read: { minTimeMs: 100 } },
      client: () => ({}),
    });
    const outcomes = Array.from({ length: 10 }, () =>
      connector.call("paced_get", {}, { deadlineMs: 450 }).then(
        (result) => result.metadata,
        (error: ConnectorError) => error.code,
      ),
    );
    await vi.advanceTimersByTimeAsync(1000);
    const results = await Promise.all(outcomes);
    expect(results.filter((result) => result === "rate_limited")).toHaveLength(5);
    // Those that fitted ran at the bucket's pace; the refusals (retryAfterMs up to 900 ms) paused nothing.
    expect(arrivals).toBe(5);
    for (const result of results.slice(0, 5)) {
      expect(result).toMatchObject({ attempts: 1 });
      expect((result as { rateLimit?: { pausedUntil?: number } }).rateLimit?.pausedUntil).toBeUndefined();
    }
    await connector.close();
  });
});

describe("RateLimiter shared through Redis (two instances, separate connections)", () => {
  const cleanup = testRedis();
  afterAll(async () => {
    await dropPrefix(cleanup.client, cleanup.prefix);
    cleanup.client.disconnect();
  });

  function pair(buckets: ConstructorParameters<typeof RateLimiter>[0]["buckets"]) {
    const connections = [testRedis(), testRedis()];
    const limiters = connections.map(
      ({ client }) =>
        new RateLimiter({
          namespace: "shared",
          buckets,
          redis: connectRedis({ client, prefix: cleanup.prefix }),
        }),
    );
    const close = async () => {
      await Promise.all(limiters.map((limiter) => limiter.close()));
      for (const { client } of connections) client.disconnect();
    };
    return { a: limiters[0] as RateLimiter, b: limiters[1] as RateLimiter, close };
  }

  it("spends one reservoir between both processes", async () => {
    const { a, b, close } = pair({ quota5: { reservoir: { amount: 5, intervalMs: 60_000 } } });
    let ran = 0;
    const attempt = (limiter: RateLimiter) => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(new ConnectorError({ code: "timeout", message: "deadline" })), 1500);
      return limiter
        .schedule(
          { bucket: "quota5", key: "token", signal: controller.signal, deadlineAt: Date.now() + 1500 },
          async () => {
            ran += 1;
          },
        )
        .then(
          () => "ran",
          () => "waited out",
        );
    };
    const outcomes = await Promise.all([a, b, a, b, a, b, a, b].map(attempt));
    expect(ran).toBe(5);
    expect(outcomes.filter((outcome) => outcome === "waited out")).toHaveLength(3);
    await close();
  });

  it("spaces call starts across both processes", async () => {
    const { a, b, close } = pair({ write: { maxConcurrent: 1, minTimeMs: 100 } });
    const starts: number[] = [];
    const job = (limiter: RateLimiter) =>
      limiter.schedule(
        { bucket: "write", key: "token", signal: noSignal(), deadlineAt: Date.now() + 5000 },
        async () => {
          starts.push(Date.now());
        },
      );
    await Promise.all([job(a), job(b), job(a), job(b)]);
    starts.sort((x, y) => x - y);
    // Bottleneck spaces the start slots in Redis; each process then starts its job after its own round trip,
    // so single gaps jitter on a loaded machine. Four jobs 100 ms apart still span at least ~300 ms.
    expect((starts.at(-1) as number) - (starts[0] as number)).toBeGreaterThanOrEqual(240);
    await close();
  });

  it("shares a pause: a 429 seen by one process holds the other", async () => {
    const { a, b, close } = pair({ read: {} });
    const pausedUntil = Date.now() + 1_000;
    a.pauseUntil("read", "token", pausedUntil);
    // The pause reaches Redis in the background: wait until it is there (its key lives until the pause ends).
    await expect
      .poll(() => cleanup.client.exists(`${cleanup.prefix}:gate:shared:read:token`), {
        timeout: 10_000,
        interval: 10,
      })
      .toBe(1);
    const scheduledAt = Date.now();
    const result = await b.schedule(
      { bucket: "read", key: "token", signal: noSignal(), deadlineAt: Date.now() + 5000 },
      async () => Date.now(),
    );
    // The other process held its call until the pause was over (give or take timers firing a little early),
    // and reports that wait.
    expect(result.value).toBeGreaterThanOrEqual(pausedUntil - 100);
    expect(result.waitedMs).toBeGreaterThanOrEqual(pausedUntil - 100 - scheduledAt);
    await close();
  });
});

describe("TenantQuota", () => {
  it("answers quota_exhausted with the time to the window's end", async () => {
    let now = 10_000;
    const quota = new TenantQuota({
      namespace: "q",
      default: { calls: 2, windowMs: 60_000 },
      now: () => now,
    });
    expect(await quota.take("acme")).toMatchObject({ remaining: 1, limit: 2 });
    expect(await quota.take("acme")).toMatchObject({ remaining: 0 });
    const error = (await quota.take("acme").catch((caught: unknown) => caught)) as ConnectorError;
    expect(error.code).toBe("quota_exhausted");
    expect(error.retryAfterMs).toBe(50_000);
    // Other tenants are not affected; a new window starts fresh.
    expect(await quota.take("globex")).toMatchObject({ remaining: 1 });
    now = 60_000;
    expect(await quota.take("acme")).toMatchObject({ remaining: 1 });
  });

  it("uses per-tenant overrides and no quota when none is configured", async () => {
    const quota = new TenantQuota({ namespace: "q", tenants: { vip: { calls: 1, windowMs: 1000 } } });
    expect(await quota.take("anyone")).toBeUndefined();
    await quota.take("vip");
    await expect(quota.take("vip")).rejects.toMatchObject({ code: "quota_exhausted" });
  });

  it("is shared across processes through Redis", async () => {
    const first = testRedis();
    const second = testRedis();
    const spec = { calls: 3, windowMs: 60_000 };
    const quotas = [first, second].map(
      ({ client }) =>
        new TenantQuota({
          namespace: "q",
          default: spec,
          redis: connectRedis({ client, prefix: first.prefix }),
        }),
    );
    const [a, b] = quotas as [TenantQuota, TenantQuota];
    await a.take("acme");
    await b.take("acme");
    await a.take("acme");
    await expect(b.take("acme")).rejects.toMatchObject({ code: "quota_exhausted" });
    await dropPrefix(first.client, first.prefix);
    first.client.disconnect();
    second.client.disconnect();
  });
});
