import { inspect } from "node:util";
import {
  type CallEvent,
  ConnectorError,
  type Credential,
  createConnector,
  defineTool,
  fromEnv,
  READ_ANNOTATIONS,
  type ToolContext,
} from "@switchyard/core";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { awsSecretsCredentials, registerAwsSecretsResolver } from "../src/index.js";
import { FakeSecretsManager, TEST_CLIENT_CONFIG } from "./support/fake-secrets-manager.js";

/** Secret values that must never surface: in a message, stack, JSON, inspect output or event. */
const CANARY = "Qz7cAnArY-aws-secret-7d1e9c44b2";
const PENDING_CANARY = "Wv4cAnArY-aws-pending-51f0aa83";
const PLAIN_CANARY = "Kx9cAnArY-plain-text-0c9b2e6612";

function renderings(value: unknown): string[] {
  const error = value as Error & { toJSON?: () => unknown; causes?: () => unknown };
  return [
    String(value),
    error?.message ?? "",
    error?.stack ?? "",
    JSON.stringify(value) ?? "",
    JSON.stringify(error?.causes?.() ?? []),
    inspect(value, { depth: 20, showHidden: true }),
    inspect(error?.cause, { depth: 20, showHidden: true }),
  ];
}

function expectNoCanary(value: unknown): void {
  for (const text of renderings(value)) {
    for (const canary of [CANARY, PENDING_CANARY, PLAIN_CANARY]) {
      expect(text).not.toContain(canary);
      // Even a fragment (JSON.parse quotes the first characters of what it could not parse).
      expect(text).not.toContain(canary.slice(0, 6));
      expect(text).not.toContain(Buffer.from(canary).toString("base64"));
    }
  }
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a failure");
    },
    (error: unknown) => error,
  );
}

describe("canary: a secret value never appears in errors, JSON or inspect output", () => {
  it("covers every failure path of a read", async () => {
    const fake = new FakeSecretsManager().install();
    const failures: unknown[] = [];
    const read = (secretId: string, key?: string) =>
      awsSecretsCredentials({
        secretId,
        key,
        clientConfig: TEST_CLIENT_CONFIG,
        retry: { maxRetries: 1, baseDelayMs: 2, minDelayMs: 1 },
      });

    // A JSON secret without the requested key, a plain secret read with a key (JSON.parse's own error would
    // quote the text), a field of the wrong type.
    fake.put("json", JSON.stringify({ password: CANARY }));
    fake.put("plain", PLAIN_CANARY);
    fake.put("nested", JSON.stringify({ token: { value: CANARY } }));
    failures.push(await caught(read("json", "token").get()));
    failures.push(await caught(read("plain", "token").get()));
    failures.push(await caught(read("nested", "token").get()));

    // A value that was handed out, then every kind of upstream failure, including one echoing the value.
    const provider = read("json", "password");
    const credential = await provider.get();
    expect(credential.value).toBe(CANARY);
    for (const failure of [
      { type: "AccessDeniedException", message: `denied for ${CANARY}` },
      { type: "ThrottlingException", message: `Rate exceeded ${CANARY}` },
      { type: "InternalServiceError", status: 500, message: CANARY },
      { type: "LimitExceededException" },
      "network" as const,
    ]) {
      fake.alwaysFail = failure;
      failures.push(await caught(provider.get({ forceRefresh: true })));
    }
    fake.alwaysFail = undefined;

    // Rotation: a pending value handed out, then refused.
    fake.putPending("json", JSON.stringify({ password: PENDING_CANARY }));
    provider.invalidate(credential);
    const pending = await provider.get();
    expect(pending.value).toBe(PENDING_CANARY);
    fake.alwaysFail = { type: "ResourceNotFoundException", message: `gone ${PENDING_CANARY}` };
    provider.invalidate(pending);
    failures.push(await caught(provider.get()));

    expect(failures).toHaveLength(9);
    for (const failure of failures) {
      expect(ConnectorError.isInstance(failure)).toBe(true);
      expectNoCanary(failure);
    }
    // The provider and the credentials print without their values.
    expectNoCanary(provider);
    expect(inspect(credential)).not.toContain(CANARY);
    expect(inspect(pending)).not.toContain(PENDING_CANARY);
    expect(inspect(credential)).toContain("aws-sm:json#password");
    expect(inspect(credential)).toContain("[REDACTED]");
  });

  it("covers a connector call through an aws-sm:// variable, its error and its events", async () => {
    const fake = new FakeSecretsManager().install();
    fake.put("prod/token", JSON.stringify({ token: CANARY }));
    registerAwsSecretsResolver({ clientConfig: TEST_CLIENT_CONFIG });
    const events: CallEvent[] = [];
    const echo = defineTool({
      name: "canary_call",
      title: "Canary call",
      description: "Fails with the credential in its error.",
      input: z.object({}),
      output: z.object({ ok: z.boolean() }),
      annotations: READ_ANNOTATIONS,
      async execute(_input, context: ToolContext<{ credential: Credential | undefined }>) {
        const value = context.client.credential?.value;
        throw new ConnectorError({
          code: "unauthenticated",
          message: `upstream refused token ${value}`,
          details: { sent: value },
        });
      },
    });
    const connector = createConnector({
      id: "canary",
      title: "Canary",
      tools: [echo],
      buckets: { read: {} },
      credentials: fromEnv({
        variable: "CANARY_TOKEN",
        setting: "canary.token",
        env: { CANARY_TOKEN: "aws-sm://prod/token#token" },
      }),
      client: (credential) => ({ credential }),
      options: { onEvent: (event) => events.push(event) },
    });
    const error = await caught(connector.call("canary_call", {}));
    expect(error).toMatchObject({ code: "unauthenticated" });
    expectNoCanary(error);
    expect(JSON.stringify(events)).not.toContain(CANARY);
    expect(fake.count()).toBeGreaterThanOrEqual(2);
    await connector.close();
  });
});
