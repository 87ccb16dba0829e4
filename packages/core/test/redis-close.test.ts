import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  ConnectorError,
  connectRedis,
  createConnector,
  defineTool,
  RateLimiter,
  READ_ANNOTATIONS,
} from "../src/index.js";
import { dropPrefix, REDIS_URL, testRedis } from "./support/redis.js";

// Who closes which Redis connection, and that closing twice (or closing what is already closed) is harmless:
// a connector opens one client from `redis.url` and closes it; its rate limiter gives bottleneck a client of
// its own (plus the subscriber bottleneck makes from it) and closes both; a client passed in stays open.

const admin = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
const prefix = `switchyard-test-${randomUUID()}`;

afterAll(async () => {
  await dropPrefix(admin, prefix);
  await dropPrefix(admin, `b_${prefix}`);
  admin.disconnect();
});

/** Connections Redis has open under `name` (every client a handle or limiter opens inherits its name). */
async function connectionsNamed(name: string): Promise<number> {
  const list = (await admin.client("LIST")) as string;
  return list.split("\n").filter((line) => line.includes(` name=${name} `)).length;
}

/** Unhandled rejections during a test (vitest would report them too, but not which test caused them). */
let unhandled: unknown[] = [];
const collect = (reason: unknown) => unhandled.push(reason);
beforeEach(() => {
  unhandled = [];
  process.on("unhandledRejection", collect);
});
afterEach(() => {
  process.off("unhandledRejection", collect);
});

/**
 * A tool that, like GitHub's, reports a budget for another bucket too: in Redis mode that sets up a second
 * limiter in the background, which is still getting ready when a one-shot CLI closes the connector.
 */
const getThing = defineTool({
  name: "thing_get",
  title: "Get a thing",
  description: "Gets a thing.",
  input: z.object({}),
  output: z.object({ ok: z.boolean() }),
  annotations: READ_ANNOTATIONS,
  async execute(_input, context) {
    const resetAt = Date.now() + 60_000;
    context.observeRateLimit({ limit: 5000, remaining: 4999, resetAt });
    context.observeRateLimit({ limit: 5000, remaining: 4999, resetAt }, "write");
    return { ok: true };
  },
});

function thingConnector(redis: { url: string } | { client: Redis }) {
  return createConnector({
    id: "thing",
    title: "Thing",
    tools: [getThing],
    buckets: { read: { maxConcurrent: 10 }, write: { maxConcurrent: 1, minTimeMs: 100 } },
    client: () => ({}),
    options: { redis: { ...redis, prefix } },
  });
}

describe("Redis connections are closed once, by their owner", () => {
  it("a handle opened from a URL closes its client on the first close(); later ones share it", async () => {
    const name = `switchyard-test-${randomUUID()}`;
    const handle = await connectRedis({ url: `${REDIS_URL}?connectionName=${name}`, prefix });
    await handle.client.ping();
    expect(await connectionsNamed(name)).toBe(1);
    const first = handle.close();
    const second = handle.close();
    expect(second).toBe(first);
    await Promise.all([first, second]);
    expect(handle.client.status).toBe("end");
    await handle.close();
    await expect.poll(() => connectionsNamed(name), { timeout: 10_000 }).toBe(0);
    expect(unhandled).toEqual([]);
  });

  it("options that name no Redis are refused before anything is loaded", async () => {
    await expect(connectRedis({ prefix })).rejects.toBeInstanceOf(TypeError);
    expect(() => thingConnector({} as { url: string })).toThrow(TypeError);
  });

  it("a handle never closes a client passed in", async () => {
    const own = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    const handle = await connectRedis({ client: own, prefix });
    await handle.close();
    await handle.close();
    expect(await own.ping()).toBe("PONG");
    own.disconnect();
  });

  it("a connector closed twice, right after a call that set up a second limiter, closes each connection once", async () => {
    const name = `switchyard-test-${randomUUID()}`;
    const connector = thingConnector({ url: `${REDIS_URL}?connectionName=${name}` });
    const { output } = await connector.call("thing_get", {});
    expect(output).toEqual({ ok: true });
    // The handle's client, bottleneck's client and its subscriber.
    expect(await connectionsNamed(name)).toBe(3);
    // Both at once (stdin's end and a signal), then again once everything is closed.
    await Promise.all([connector.close(), connector.close()]);
    await connector.close();
    await expect.poll(() => connectionsNamed(name), { timeout: 10_000 }).toBe(0);
    expect(unhandled).toEqual([]);
    await expect(connector.call("thing_get", {})).rejects.toBeInstanceOf(ConnectorError);
  });

  it("a connector given a client closes only the connections its limiter opened", async () => {
    const name = `switchyard-test-${randomUUID()}`;
    const own = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, connectionName: name });
    const connector = thingConnector({ client: own });
    await connector.call("thing_get", {});
    expect(await connectionsNamed(name)).toBe(3);
    await Promise.all([connector.close(), connector.close()]);
    await expect.poll(() => connectionsNamed(name), { timeout: 10_000 }).toBe(1);
    expect(await own.ping()).toBe("PONG");
    expect(unhandled).toEqual([]);
    own.disconnect();
  });

  it("a connector whose Redis is down still fails its calls and closes without waiting for Redis", async () => {
    // Port 1: nothing listens, every connection attempt is refused and ioredis keeps reconnecting.
    const connector = thingConnector({ url: "redis://127.0.0.1:1" });
    await expect(connector.call("thing_get", {}, { deadlineMs: 3000 })).rejects.toBeInstanceOf(
      ConnectorError,
    );
    await Promise.all([connector.close(), connector.close()]);
    expect(unhandled).toEqual([]);
  });

  it("closing a Redis limiter refuses the calls waiting in its queue at once, and is idempotent", async () => {
    const { client } = testRedis();
    const limiter = new RateLimiter({
      namespace: "close",
      buckets: { once: { reservoir: { amount: 1, intervalMs: 60_000 } } },
      redis: connectRedis({ client, prefix }),
    });
    const key = randomUUID();
    const schedule = () =>
      limiter.schedule(
        { bucket: "once", key, signal: new AbortController().signal, deadlineAt: Date.now() + 60_000 },
        async () => "ran",
      );
    expect((await schedule()).value).toBe("ran");
    // The reservoir is spent for a minute: this one waits in bottleneck's queue.
    const waiting = schedule().catch((error: unknown) => error);
    const first = limiter.close();
    expect(limiter.close()).toBe(first);
    await first;
    expect(await waiting).toMatchObject({ code: "cancelled" });
    await expect(schedule()).rejects.toMatchObject({ code: "cancelled" });
    expect(unhandled).toEqual([]);
    client.disconnect();
  });
});
