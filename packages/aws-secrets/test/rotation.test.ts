import {
  ConnectorError,
  type Credential,
  createConnector,
  defineTool,
  READ_ANNOTATIONS,
  type ToolContext,
} from "@switchyard/core";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { awsSecretsCredentials } from "../src/index.js";
import { FakeSecretsManager, TEST_CLIENT_CONFIG } from "./support/fake-secrets-manager.js";

const MINUTE = 60_000;
const OLD = "db-password-old-111111";
const NEW = "db-password-new-222222";

function setup() {
  const fake = new FakeSecretsManager().install();
  let clock = 5_000_000;
  const provider = awsSecretsCredentials({
    secretId: "prod/db",
    key: "password",
    clientConfig: TEST_CLIENT_CONFIG,
    now: () => clock,
  });
  const put = (value: string) => fake.put("prod/db", JSON.stringify({ username: "app", password: value }));
  const putPending = (value: string) =>
    fake.putPending("prod/db", JSON.stringify({ username: "app", password: value }));
  return { fake, provider, put, putPending, advance: (ms: number) => (clock += ms) };
}

describe("rotation: AWSCURRENT -> AWSPENDING fallback", () => {
  it("hands out AWSPENDING while AWSCURRENT is the refused value, and AWSCURRENT once rotation finishes", async () => {
    const { fake, provider, put, putPending, advance } = setup();
    put(OLD);
    const old = await provider.get();
    expect(old.value).toBe(OLD);

    // Single-user rotation, mid-way: createSecret stored AWSPENDING and setSecret changed the database
    // password, but finishSecret has not moved AWSCURRENT yet. The database refuses the old value.
    putPending(NEW);
    provider.invalidate(old);
    const fallback = await provider.get();
    expect(fallback.value).toBe(NEW);
    expect(fallback.attributes?.versionStage).toBe("AWSPENDING");
    expect(fallback.id).toBe("aws-sm:prod/db#password");
    expect(fake.requests.map((request) => request.stage ?? "AWSCURRENT")).toEqual([
      "AWSCURRENT",
      "AWSCURRENT",
      "AWSPENDING",
    ]);
    // Cached like any value.
    expect((await provider.get()).value).toBe(NEW);
    expect(fake.count()).toBe(3);

    // TTL passes before finishSecret: AWSCURRENT is still the refused value, so AWSPENDING stays in use.
    advance(5 * MINUTE);
    expect((await provider.get()).attributes?.versionStage).toBe("AWSPENDING");
    expect(fake.count("AWSPENDING")).toBe(2);

    // finishSecret: AWSCURRENT now is the new value. The next read goes back to AWSCURRENT, and stays there.
    fake.finishRotation("prod/db");
    advance(5 * MINUTE);
    const current = await provider.get();
    expect(current.value).toBe(NEW);
    expect(current.attributes?.versionStage).toBe("AWSCURRENT");
    const pendingReads = fake.count("AWSPENDING");
    advance(5 * MINUTE);
    await provider.get();
    expect(fake.count("AWSPENDING")).toBe(pendingReads);
  });

  it("uses a changed AWSCURRENT without looking at AWSPENDING", async () => {
    const { fake, provider, put } = setup();
    put(OLD);
    const old = await provider.get();
    put(NEW);
    provider.invalidate(old);
    const fresh = await provider.get();
    expect(fresh).toMatchObject({ value: NEW, attributes: { versionStage: "AWSCURRENT" } });
    expect(fake.count("AWSPENDING")).toBe(0);
  });

  it("hands out AWSCURRENT again when there is no AWSPENDING (the consumer then fails for real)", async () => {
    const { fake, provider, put } = setup();
    put(OLD);
    provider.invalidate(await provider.get());
    const again = await provider.get();
    expect(again.value).toBe(OLD);
    expect(fake.count("AWSPENDING")).toBe(1);
    // Back to plain AWSCURRENT reads: a later refusal starts the same check again, nothing sticks.
    expect((await provider.get()).value).toBe(OLD);
    expect(fake.count()).toBe(3);
  });

  it("goes back to AWSCURRENT when the AWSPENDING value is refused too, and never offers that one again", async () => {
    const { fake, provider, put, putPending } = setup();
    put(OLD);
    const old = await provider.get();
    putPending(NEW);
    provider.invalidate(old);
    const pending = await provider.get();
    expect(pending.value).toBe(NEW);

    provider.invalidate(pending);
    const back = await provider.get();
    expect(back).toMatchObject({ value: OLD, attributes: { versionStage: "AWSCURRENT" } });
    const pendingReads = fake.count("AWSPENDING");
    expect(fake.requests.at(-1)?.stage).toBeUndefined();

    // The old one is refused again: AWSPENDING is read, but the value already refused is not handed out.
    provider.invalidate(back);
    expect((await provider.get()).value).toBe(OLD);
    expect(fake.count("AWSPENDING")).toBe(pendingReads + 1);

    // A new pending version (a retried rotation) is a different value, so it is offered.
    putPending("db-password-newer-333333");
    provider.invalidate(back);
    expect((await provider.get()).value).toBe("db-password-newer-333333");
  });

  it("repairs a rotation through core's pipeline: one refused call, then the AWSPENDING value succeeds", async () => {
    const { fake, provider, put, putPending } = setup();
    put(OLD);
    // The upstream (think: PostgreSQL after setSecret) accepts only the new password.
    const accepted = new Set([OLD]);
    const seen: string[] = [];
    const whoami = defineTool({
      name: "db_whoami",
      title: "Who am I",
      description: "Connects with the credential and reports success.",
      input: z.object({}),
      output: z.object({ ok: z.boolean() }),
      annotations: READ_ANNOTATIONS,
      async execute(_input, context: ToolContext<{ credential: Credential | undefined }>) {
        const value = context.client.credential?.value ?? "";
        seen.push(value === OLD ? "old" : value === NEW ? "new" : "other");
        if (!accepted.has(value)) {
          throw new ConnectorError({ code: "unauthenticated", message: "password authentication failed" });
        }
        return { ok: true };
      },
    });
    const connector = createConnector({
      id: "db",
      title: "Database",
      tools: [whoami],
      buckets: { read: {} },
      credentials: provider,
      client: (credential) => ({ credential }),
      options: { resilience: { circuitBreaker: false } },
    });
    expect((await connector.call("db_whoami", {})).output).toEqual({ ok: true });

    putPending(NEW);
    accepted.clear();
    accepted.add(NEW);
    const result = await connector.call("db_whoami", {});
    expect(result.output).toEqual({ ok: true });
    expect(seen).toEqual(["old", "old", "new"]);
    expect(fake.count("AWSPENDING")).toBe(1);
    await connector.close();
  });
});
