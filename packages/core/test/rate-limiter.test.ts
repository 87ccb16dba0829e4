import { afterAll, describe, expect, it } from "vitest";
import { ConnectorError, openRedis, RateLimiter, TenantQuota } from "../src/index.js";
import { dropPrefix, testRedis } from "./support/redis.js";

const noSignal = () => new AbortController().signal;

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
          redis: openRedis({ client, prefix: cleanup.prefix }),
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
          redis: openRedis({ client, prefix: first.prefix }),
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
