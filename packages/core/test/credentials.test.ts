import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  ConnectorError,
  type Credential,
  connectRedis,
  fromEnv,
  fromValue,
  redisCredentialCoordinator,
  refreshingCredentials,
} from "../src/index.js";
import { dropPrefix, testRedis } from "./support/redis.js";

describe("fromEnv / fromValue", () => {
  it("names the variable and the setting when the credential is missing", async () => {
    const provider = fromEnv({ variable: "GITHUB_TOKEN", setting: "github.token", env: {} });
    const error = (await provider.get().catch((caught: unknown) => caught)) as ConnectorError;
    expect(ConnectorError.isInstance(error)).toBe(true);
    expect(error.code).toBe("credentials_missing");
    expect(error.message).toContain("GITHUB_TOKEN");
    expect(error.message).toContain("github.token");
    expect(error.retryable).toBe(false);
  });

  it("names every alternative variable", async () => {
    const { credentialsMissing } = await import("../src/index.js");
    const error = credentialsMissing("token", ["GITHUB_TOKEN", "GITHUB_APP_ID + GITHUB_APP_PRIVATE_KEY"]);
    expect(error.message).toContain("GITHUB_TOKEN, or GITHUB_APP_ID + GITHUB_APP_PRIVATE_KEY");
    expect(error.details).toEqual({
      setting: "token",
      variables: ["GITHUB_TOKEN", "GITHUB_APP_ID + GITHUB_APP_PRIVATE_KEY"],
    });
  });

  it("reads the current value on every get", async () => {
    const env: NodeJS.ProcessEnv = { TOKEN: "first-token-value" };
    const provider = fromEnv({ variable: "TOKEN", setting: "token", env });
    expect((await provider.get()).value).toBe("first-token-value");
    env.TOKEN = "second-token-value";
    expect((await provider.get()).value).toBe("second-token-value");
  });

  it("fromValue hands out the fixed value", async () => {
    expect((await fromValue("fixed-value-123").get()).value).toBe("fixed-value-123");
  });
});

describe("refreshingCredentials (fake timers)", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function counter(lifetimeMs: number) {
    let version = 0;
    const refresh = vi.fn(async (): Promise<Credential> => {
      version += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { value: `token-version-${version}`, expiresAt: Date.now() + lifetimeMs };
    });
    return refresh;
  }

  it("runs exactly one refresh for 100 concurrent calls during expiry", async () => {
    const refresh = counter(3_600_000);
    const provider = refreshingCredentials({ description: "test", refresh, refreshAheadMs: 60_000 });
    const first = provider.get();
    await vi.advanceTimersByTimeAsync(20);
    expect((await first).value).toBe("token-version-1");

    // Move into the refresh-ahead window: the token is about to expire.
    await vi.advanceTimersByTimeAsync(3_600_000 - 30_000);
    const calls = Array.from({ length: 100 }, () => provider.get());
    await vi.advanceTimersByTimeAsync(20);
    const values = new Set((await Promise.all(calls)).map((credential) => credential.value));
    expect(values).toEqual(new Set(["token-version-2"]));
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it("refreshes once after an invalidation, even when many callers report the same rejected value", async () => {
    const refresh = counter(3_600_000);
    const provider = refreshingCredentials({ description: "test", refresh });
    const pending = provider.get();
    await vi.advanceTimersByTimeAsync(20);
    const rejected = await pending;
    for (let index = 0; index < 100; index += 1) provider.invalidate(rejected);
    const calls = Array.from({ length: 100 }, () => provider.get());
    await vi.advanceTimersByTimeAsync(20);
    await Promise.all(calls);
    // A late report about the old value must not throw away the new one.
    provider.invalidate(rejected);
    expect((await provider.get()).value).toBe("token-version-2");
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it("keeps the old credential when a refresh-ahead fails before expiry, and fails after it", async () => {
    let fail = false;
    const provider = refreshingCredentials({
      description: "test",
      refreshAheadMs: 60_000,
      refresh: async () => {
        if (fail) throw new ConnectorError({ code: "upstream_unavailable", message: "token endpoint down" });
        return { value: "still-good-token", expiresAt: Date.now() + 120_000 };
      },
    });
    await provider.get();
    fail = true;
    await vi.advanceTimersByTimeAsync(90_000);
    expect((await provider.get()).value).toBe("still-good-token");
    await vi.advanceTimersByTimeAsync(60_000);
    await expect(provider.get()).rejects.toMatchObject({ code: "upstream_unavailable" });
  });
});

describe("redisCredentialCoordinator (real Redis)", () => {
  const { client, prefix } = testRedis();
  afterAll(async () => {
    await dropPrefix(client, prefix);
    client.disconnect();
  });

  it("lets two processes (separate connections) refresh a shared credential once", async () => {
    let refreshes = 0;
    const refresh = async (): Promise<Credential> => {
      refreshes += 1;
      await new Promise((resolve) => setTimeout(resolve, 100));
      return { value: `shared-token-${refreshes}`, expiresAt: Date.now() + 3_600_000 };
    };
    const handles = await Promise.all(
      [testRedis(), testRedis()].map(({ client }) => connectRedis({ client, prefix })),
    );
    const processes = handles.map((redis) => {
      const connection = redis.client;
      return {
        connection,
        provider: refreshingCredentials({
          description: "shared",
          refresh,
          coordinator: redisCredentialCoordinator({ redis, name: "demo", pollMs: 10 }),
        }),
      };
    });
    const results = await Promise.all(
      processes.flatMap(({ provider }) => Array.from({ length: 20 }, () => provider.get())),
    );
    expect(new Set(results.map((credential) => credential.value))).toEqual(new Set(["shared-token-1"]));
    expect(refreshes).toBe(1);

    // One process sees the token rejected: both end up on the same new token, refreshed once more.
    const [first, second] = processes;
    first?.provider.invalidate(results[0] as Credential);
    second?.provider.invalidate(results[0] as Credential);
    const [a, b] = await Promise.all([first?.provider.get(), second?.provider.get()]);
    expect(a?.value).toBe("shared-token-2");
    expect(b?.value).toBe("shared-token-2");
    expect(refreshes).toBe(2);
    for (const { connection } of processes) connection.disconnect();
  });
});

describe("a hanging credential refresh", () => {
  it("ends the call at its deadline while the shared refresh keeps its own bound", async () => {
    const { createConnector, defineTool, READ_ANNOTATIONS } = await import("../src/index.js");
    const { z } = await import("zod");
    let refreshSignal: AbortSignal | undefined;
    const credentials = refreshingCredentials({
      description: "slow",
      refreshTimeoutMs: 5000,
      refresh: (signal) =>
        new Promise((_resolve, reject) => {
          refreshSignal = signal;
          signal?.addEventListener("abort", () => reject(new Error("refresh timed out")));
        }),
    });
    const connector = createConnector({
      id: "slow",
      title: "Slow",
      tools: [
        defineTool({
          name: "slow_get_thing",
          title: "Get",
          description: "d",
          input: z.object({}),
          output: z.object({ ok: z.boolean() }),
          annotations: READ_ANNOTATIONS,
          execute: async () => ({ ok: true }),
        }),
      ],
      buckets: {},
      credentials,
      client: () => undefined,
      options: { deadlineMs: 100 },
    });
    await expect(connector.call("slow_get_thing", {})).rejects.toMatchObject({ code: "timeout" });
    // The caller gave up; the refresh it started was not cancelled by that.
    expect(refreshSignal?.aborted).toBe(false);
    await connector.close();
  });
});
