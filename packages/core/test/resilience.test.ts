import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import {
  ConnectorError,
  type ConnectorRuntimeOptions,
  createConnector,
  defineTool,
  READ_ANNOTATIONS,
} from "../src/index.js";
import { dropPrefix, testRedis } from "./support/redis.js";

interface Upstream {
  calls: number;
  /** What the next call does. */
  behave: () => Promise<{ ok: boolean }>;
}

function connectorFor(upstream: Upstream, options: ConnectorRuntimeOptions = {}, id = "flaky") {
  const tool = defineTool({
    name: `${id}_get_status`,
    title: "Status",
    description: "Reads the status.",
    input: z.object({}),
    output: z.object({ ok: z.boolean() }),
    annotations: READ_ANNOTATIONS,
    async execute() {
      upstream.calls += 1;
      return upstream.behave();
    },
  });
  return createConnector({
    id,
    title: id,
    tools: [tool],
    buckets: {},
    client: () => undefined,
    options: { retry: { maxRetries: 0 }, ...options },
  });
}

const down = async (): Promise<{ ok: boolean }> => {
  throw new ConnectorError({ code: "upstream_unavailable", message: "503" });
};
const up = async () => ({ ok: true });

describe("circuit breaker (fake timers)", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("opens after repeated upstream failures, fails fast, and closes after a good half-open probe", async () => {
    const upstream: Upstream = { calls: 0, behave: down };
    const connector = connectorFor(upstream, {
      resilience: { circuitBreaker: { consecutiveFailures: 3, halfOpenAfterMs: 10_000 } },
    });
    for (let index = 0; index < 3; index += 1) {
      await expect(connector.call("flaky_get_status", {})).rejects.toMatchObject({
        code: "upstream_unavailable",
      });
    }
    expect(upstream.calls).toBe(3);

    const fast = (await connector
      .call("flaky_get_status", {})
      .catch((error: unknown) => error)) as ConnectorError;
    expect(fast.code).toBe("upstream_unavailable");
    expect(fast.retryable).toBe(true);
    expect(fast.retryAfterMs).toBeGreaterThan(9000);
    expect(fast.message).toContain("circuit open");
    expect(upstream.calls).toBe(3);
    expect(connector.resilience().circuits).toEqual([
      { key: "upstream", state: "open", openUntil: expect.any(Number) },
    ]);

    upstream.behave = up;
    await vi.advanceTimersByTimeAsync(10_000);
    const probe = await connector.call("flaky_get_status", {});
    expect(probe.output).toEqual({ ok: true });
    expect(probe.metadata.circuit).toEqual({ key: "upstream", state: "closed" });
    expect(upstream.calls).toBe(4);
    await connector.close();
  });

  it("reopens when the half-open probe fails", async () => {
    const upstream: Upstream = { calls: 0, behave: down };
    const connector = connectorFor(upstream, {
      resilience: { circuitBreaker: { consecutiveFailures: 2, halfOpenAfterMs: 5000 } },
    });
    await connector.call("flaky_get_status", {}).catch(() => undefined);
    await connector.call("flaky_get_status", {}).catch(() => undefined);
    await vi.advanceTimersByTimeAsync(5000);
    await expect(connector.call("flaky_get_status", {})).rejects.toMatchObject({
      code: "upstream_unavailable",
    });
    expect(upstream.calls).toBe(3);
    await expect(connector.call("flaky_get_status", {})).rejects.toMatchObject({
      retryAfterMs: expect.any(Number),
    });
    expect(upstream.calls).toBe(3);
    await connector.close();
  });

  it("is not tripped by caller mistakes or rate limits, and an open circuit is not retried within a call", async () => {
    const upstream: Upstream = {
      calls: 0,
      behave: async () => {
        throw new ConnectorError({ code: "not_found", message: "404" });
      },
    };
    const connector = connectorFor(upstream, {
      retry: { maxRetries: 3, baseDelayMs: 1, minDelayMs: 1 },
      resilience: { circuitBreaker: { consecutiveFailures: 2 } },
    });
    for (let index = 0; index < 5; index += 1)
      await connector.call("flaky_get_status", {}).catch(() => undefined);
    expect(connector.resilience().circuits[0]?.state).toBe("closed");

    upstream.behave = down;
    const before = upstream.calls;
    const pending = connector.call("flaky_get_status", {}).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(1000);
    const error = (await pending) as ConnectorError;
    // Two failures opened the circuit; the third attempt failed fast instead of waiting through more retries.
    expect(upstream.calls - before).toBe(2);
    expect(error.message).toContain("circuit open");
    await connector.close();
  });

  it("opens on a failure rate over a window", async () => {
    const upstream: Upstream = { calls: 0, behave: up };
    const connector = connectorFor(upstream, {
      resilience: {
        circuitBreaker: {
          consecutiveFailures: 1000,
          failureRate: { threshold: 0.5, windowMs: 10_000, minimumRps: 1 },
        },
      },
    });
    for (let index = 0; index < 40; index += 1) {
      upstream.behave = index % 3 === 0 ? up : down;
      await connector.call("flaky_get_status", {}).catch(() => undefined);
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(connector.resilience().circuits[0]?.state).toBe("open");
    await connector.close();
  });
});

describe("circuit breaker shared through Redis", () => {
  it("spares a second process the failures the first one saw", async () => {
    const first = testRedis();
    const second = testRedis();
    const redisFor = (client: typeof first.client) => ({ client, prefix: first.prefix });
    const upstreamA: Upstream = { calls: 0, behave: down };
    const upstreamB: Upstream = { calls: 0, behave: up };
    const spec = { circuitBreaker: { consecutiveFailures: 2, halfOpenAfterMs: 60_000 } };
    const a = connectorFor(upstreamA, { redis: redisFor(first.client), resilience: spec });
    const b = connectorFor(upstreamB, { redis: redisFor(second.client), resilience: spec });
    await a.call("flaky_get_status", {}).catch(() => undefined);
    await a.call("flaky_get_status", {}).catch(() => undefined);
    // The first process publishes its open circuit to Redis in the background: wait until the second one's
    // connection sees it.
    await expect
      .poll(async () => (await second.client.keys(`${first.prefix}:circuit:*`)).length, { timeout: 10_000 })
      .toBeGreaterThan(0);
    await expect(b.call("flaky_get_status", {})).rejects.toMatchObject({ code: "upstream_unavailable" });
    expect(upstreamB.calls).toBe(0);
    await a.close();
    await b.close();
    await dropPrefix(first.client, first.prefix);
    first.client.disconnect();
    second.client.disconnect();
  });
});

describe("bulkhead", () => {
  it("keeps a slow upstream from starving a fast one", async () => {
    const slow: Upstream = { calls: 0, behave: () => new Promise(() => {}) };
    const fast: Upstream = { calls: 0, behave: up };
    const options = { resilience: { bulkhead: { maxConcurrent: 2, maxQueued: 2 } }, deadlineMs: 300 };
    const slowConnector = connectorFor(slow, options, "slow");
    const fastConnector = connectorFor(fast, options, "fast");
    const stuck = Array.from({ length: 4 }, () =>
      slowConnector.call("slow_get_status", {}).catch((error: unknown) => error),
    );
    // The fifth slow call finds both slots and the queue full: it fails at once instead of piling up.
    const rejected = (await slowConnector
      .call("slow_get_status", {})
      .catch((error: unknown) => error)) as ConnectorError;
    expect(rejected.code).toBe("upstream_unavailable");
    expect(rejected.details).toMatchObject({ bulkhead: "full" });
    expect(slowConnector.resilience().bulkhead).toMatchObject({ executing: 2, queued: 2 });
    expect(slow.calls).toBe(2);

    const results = [];
    for (let index = 0; index < 10; index += 1) results.push(await fastConnector.call("fast_get_status", {}));
    expect(results.every((result) => result.output.ok === true)).toBe(true);
    expect(results[0]?.metadata.bulkhead).toMatchObject({ maxConcurrent: 2 });

    // Slow calls, running or queued, end within their own deadline.
    const outcomes = (await Promise.all(stuck)) as ConnectorError[];
    expect(outcomes.map((error) => error.code)).toEqual(["timeout", "timeout", "timeout", "timeout"]);
    await slowConnector.close();
    await fastConnector.close();
  });
});
