import { type Credential, type CredentialCoordinator, credentialKey, redactText } from "@switchyard/core";
import { describe, expect, it } from "vitest";
import { type AwsSecretsCredentialsOptions, awsSecretsCredentials } from "../src/index.js";
import { FakeSecretsManager, TEST_CLIENT_CONFIG } from "./support/fake-secrets-manager.js";

const MINUTE = 60_000;

function setup(overrides: Partial<AwsSecretsCredentialsOptions> = {}) {
  const fake = new FakeSecretsManager().install();
  let clock = 1_000_000;
  const provider = awsSecretsCredentials({
    secretId: "prod/github",
    clientConfig: TEST_CLIENT_CONFIG,
    now: () => clock,
    retry: { baseDelayMs: 5, minDelayMs: 1 },
    ...overrides,
  });
  return {
    fake,
    provider,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

describe("awsSecretsCredentials: reading and caching", () => {
  it("reads AWSCURRENT once and serves it from cache for the TTL", async () => {
    const { fake, provider, advance } = setup();
    fake.put("prod/github", "ghs_value_one_123456");
    const first = await provider.get();
    expect(first.value).toBe("ghs_value_one_123456");
    expect(first.id).toBe("aws-sm:prod/github");
    expect(first.attributes).toMatchObject({ source: "aws-secrets-manager", versionStage: "AWSCURRENT" });
    expect(first.attributes?.versionId).toMatch(/^[0-9a-f-]{36}$/);
    advance(4 * MINUTE);
    expect((await provider.get()).value).toBe("ghs_value_one_123456");
    expect(fake.count()).toBe(1);
    // The request was a signed awsJson1.1 GetSecretValue against the regional endpoint, stage left to the default.
    expect(fake.requests[0]).toEqual({
      host: "secretsmanager.us-east-1.amazonaws.com",
      target: "secretsmanager.GetSecretValue",
      secretId: "prod/github",
      stage: undefined,
      signed: true,
    });
    // Rate limits key on the stable id, never on the value.
    expect(credentialKey(first)).toBe("aws-sm:prod/github");
    expect(redactText("token=ghs_value_one_123456")).toBe("token=[REDACTED]");
  });

  it("reads again after the TTL and picks up a new value", async () => {
    const { fake, provider, advance } = setup({ ttlMs: 5 * MINUTE, refreshAheadMs: 0 });
    fake.put("prod/github", "value-before-update");
    await provider.get();
    fake.put("prod/github", "value-after-update");
    advance(5 * MINUTE - 1);
    expect((await provider.get()).value).toBe("value-before-update");
    advance(1);
    expect((await provider.get()).value).toBe("value-after-update");
    expect(fake.count()).toBe(2);
  });

  it("refreshes ahead of the TTL, and keeps the cached value if that early read fails", async () => {
    const { fake, provider, advance } = setup({ ttlMs: 5 * MINUTE, refreshAheadMs: 30_000 });
    fake.put("prod/github", "value-generation-1");
    await provider.get();
    advance(4 * MINUTE + 29_000);
    expect((await provider.get()).value).toBe("value-generation-1");
    expect(fake.count()).toBe(1);

    // Inside the refresh-ahead window: Secrets Manager is down, the cached value is still served.
    advance(2_000);
    fake.alwaysFail = { type: "InternalServiceError", status: 500 };
    expect((await provider.get()).value).toBe("value-generation-1");
    expect(fake.count()).toBeGreaterThan(1);

    // The early read succeeds: the new value is handed out and a new TTL starts.
    fake.alwaysFail = undefined;
    fake.put("prod/github", "value-generation-2");
    const before = fake.count();
    expect((await provider.get()).value).toBe("value-generation-2");
    expect(fake.count()).toBe(before + 1);

    // Past the TTL a failing read is an error: a cached value is never served beyond its TTL.
    advance(5 * MINUTE);
    fake.alwaysFail = { type: "InternalServiceError", status: 500 };
    await expect(provider.get()).rejects.toMatchObject({ code: "upstream_unavailable", retryable: true });
  });

  it("runs one GetSecretValue for 100 concurrent gets, initially and during a refresh", async () => {
    const { fake, provider, advance } = setup();
    fake.put("prod/github", "single-flight-value-1");
    fake.delayMs = 30;
    const first = await Promise.all(Array.from({ length: 100 }, () => provider.get()));
    expect(new Set(first.map((credential) => credential.value))).toEqual(new Set(["single-flight-value-1"]));
    expect(fake.count()).toBe(1);

    fake.put("prod/github", "single-flight-value-2");
    advance(5 * MINUTE);
    const second = await Promise.all(Array.from({ length: 100 }, () => provider.get()));
    expect(new Set(second.map((credential) => credential.value))).toEqual(new Set(["single-flight-value-2"]));
    expect(fake.count()).toBe(2);
  });

  it("re-reads at once when asked to skip the cache, or when the value is reported refused", async () => {
    const { fake, provider } = setup();
    fake.put("prod/github", "cached-value-abcdef");
    const cached = await provider.get();
    fake.put("prod/github", "fresh-value-abcdef");
    expect((await provider.get({ forceRefresh: true })).value).toBe("fresh-value-abcdef");
    expect(fake.count()).toBe(2);

    fake.put("prod/github", "fresher-value-abcdef");
    // Invalidating a value this provider no longer hands out changes nothing.
    provider.invalidate(cached);
    expect((await provider.get()).value).toBe("fresh-value-abcdef");
    expect(fake.count()).toBe(2);
    provider.invalidate({ value: "fresh-value-abcdef" });
    expect((await provider.get()).value).toBe("fresher-value-abcdef");
    expect(fake.count()).toBe(3);
  });

  it("selects a key of a JSON secret, with an id naming secret and key", async () => {
    const { fake, provider } = setup({ key: "token" });
    fake.put("prod/github", JSON.stringify({ token: "ghp_json_selected_token_1", user: "bot" }));
    const credential = await provider.get();
    expect(credential.value).toBe("ghp_json_selected_token_1");
    expect(credential.id).toBe("aws-sm:prod/github#token");
    expect(provider.description).toBe('AWS Secrets Manager secret "prod/github" (key "token")');
  });

  it("turns numbers into strings and reads SecretBinary as UTF-8", async () => {
    const fake = new FakeSecretsManager().install();
    fake.put("db/pin", JSON.stringify({ pin: 12345678 }));
    fake.put("files/token", new TextEncoder().encode("binary-token-välue"));
    const pin = awsSecretsCredentials({ secretId: "db/pin", key: "pin", clientConfig: TEST_CLIENT_CONFIG });
    expect((await pin.get()).value).toBe("12345678");
    const binary = awsSecretsCredentials({ secretId: "files/token", clientConfig: TEST_CLIENT_CONFIG });
    expect((await binary.get()).value).toBe("binary-token-välue");
    fake.put("files/json", new TextEncoder().encode(JSON.stringify({ token: "from-binary-json" })));
    const binaryJson = awsSecretsCredentials({
      secretId: "files/json",
      key: "token",
      clientConfig: TEST_CLIENT_CONFIG,
    });
    expect((await binaryJson.get()).value).toBe("from-binary-json");
  });

  it("reports a missing key, a non-JSON secret, a non-string field and non-UTF-8 bytes, naming secret and key", async () => {
    const fake = new FakeSecretsManager().install();
    const read = (secretId: string, key?: string) =>
      awsSecretsCredentials({ secretId, key, clientConfig: TEST_CLIENT_CONFIG }).get();
    fake.put("app/json", JSON.stringify({ password: "json-password-value-1" }));
    fake.put("app/plain", "plain-text-secret-value-1");
    fake.put("app/nested", JSON.stringify({ token: { nested: true } }));
    fake.put("app/bytes", new Uint8Array([0xff, 0xfe, 0x00]));
    fake.put("app/list", JSON.stringify(["a", "b"]));

    const missingKey = await read("app/json", "token").catch((error: unknown) => error);
    expect(missingKey).toMatchObject({ code: "credentials_missing", retryable: false });
    expect((missingKey as Error).message).toContain('"app/json"');
    expect((missingKey as Error).message).toContain('"token"');
    expect((missingKey as { hint: string }).hint).toMatch(/add it to the secret/);
    expect((missingKey as { details: unknown }).details).toMatchObject({ keys: ["password"] });

    const notJson = await read("app/plain", "token").catch((error: unknown) => error);
    expect(notJson).toMatchObject({ code: "invalid_response", fault: "caller", retryable: false });
    expect((notJson as { hint: string }).hint).toMatch(/"app\/plain".*plain text|plain text/);
    expect((notJson as Error).cause).toBeUndefined();

    await expect(read("app/nested", "token")).rejects.toMatchObject({ code: "invalid_response" });
    await expect(read("app/list", "token")).rejects.toMatchObject({ code: "invalid_response" });
    await expect(read("app/bytes")).rejects.toMatchObject({ code: "invalid_response" });
    for (const error of [missingKey, notJson]) {
      const text = JSON.stringify(error);
      expect(text).not.toContain("json-password-value-1");
      expect(text).not.toContain("plain-text-secret-value-1");
    }
  });

  it("shares one read between processes through a coordinator (core's Redis one, here in memory)", async () => {
    const fake = new FakeSecretsManager().install();
    fake.put("prod/github", "coordinated-value-0001");
    let shared: Credential | undefined;
    const coordinator: CredentialCoordinator = {
      async refresh({ stale, refresh }) {
        if (shared && shared.value !== stale?.value) return shared;
        shared = await refresh();
        return shared;
      },
    };
    const processes = [1, 2, 3].map(() =>
      awsSecretsCredentials({ secretId: "prod/github", clientConfig: TEST_CLIENT_CONFIG, coordinator }),
    );
    for (const provider of processes) expect((await provider.get()).value).toBe("coordinated-value-0001");
    expect(fake.count()).toBe(1);
  });
});
