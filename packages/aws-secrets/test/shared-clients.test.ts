import { parseCredentialReference } from "@switchyard/core";
import { describe, expect, it, vi } from "vitest";
import { createAwsSecretsResolver } from "../src/index.js";
import { FakeSecretsManager, TEST_CLIENT_CONFIG } from "./support/fake-secrets-manager.js";

const constructed = vi.hoisted(
  () => [] as { region: unknown; maxAttempts: unknown; requestHandler: unknown }[],
);

// Counts the SDK clients the package builds, and records the config they were built with.
vi.mock("@aws-sdk/client-secrets-manager", async (importOriginal) => {
  const original = await importOriginal<typeof import("@aws-sdk/client-secrets-manager")>();
  class CountingClient extends original.SecretsManagerClient {
    constructor(...args: ConstructorParameters<typeof original.SecretsManagerClient>) {
      super(...args);
      const config = args[0] ?? {};
      constructed.push({
        region: config.region,
        maxAttempts: config.maxAttempts,
        requestHandler: config.requestHandler,
      });
    }
  }
  return { ...original, SecretsManagerClient: CountingClient };
});

function reference(raw: string) {
  const parsed = parseCredentialReference(raw);
  if (!parsed) throw new Error(`not a reference: ${raw}`);
  return parsed;
}

describe("shared SDK clients", () => {
  it("builds one client per region and endpoint, with maxAttempts 1 and request timeouts", async () => {
    const fake = new FakeSecretsManager().install();
    fake.put("one", "first-secret-value-1");
    fake.put("two", "second-secret-value-2");
    fake.put("arn:aws:secretsmanager:eu-west-1:123456789012:secret:three-AbC", "third-secret-value-3");
    const resolver = createAwsSecretsResolver({
      clientConfig: { credentials: TEST_CLIENT_CONFIG.credentials },
    });
    const get = (raw: string) => resolver(reference(raw), { description: raw }).get();

    await get("aws-sm://one");
    await get("aws-sm://two");
    await get("aws-sm://one#missing").catch(() => undefined);
    expect(constructed).toHaveLength(1);
    expect(constructed[0]).toEqual({
      region: "us-east-1",
      maxAttempts: 1,
      requestHandler: { connectionTimeout: 3_000, requestTimeout: 5_000, throwOnRequestTimeout: true },
    });

    await get("aws-sm://arn:aws:secretsmanager:eu-west-1:123456789012:secret:three-AbC");
    expect(constructed.map((config) => config.region)).toEqual(["us-east-1", "eu-west-1"]);

    process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = "http://127.0.0.1:4566";
    try {
      await get("aws-sm://one");
      // The new endpoint gets its own client (and cache), and the read goes there.
      expect(constructed).toHaveLength(3);
      expect(fake.requests.at(-1)?.host).toBe("127.0.0.1:4566");
    } finally {
      delete process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
    }
  });
});
