import net from "node:net";
import { takeNetworkAttempts } from "@switchyard/core/testing";
import { describe, expect, it } from "vitest";
import { awsSecretsCredentials } from "../src/index.js";
import { FakeSecretsManager } from "./support/fake-secrets-manager.js";
import { takeUnhandledRequests } from "./support/msw-server.js";

const CREDENTIAL_VARIABLES = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"] as const;

async function withoutStaticCredentials<T>(run: () => Promise<T>): Promise<T> {
  const saved = CREDENTIAL_VARIABLES.map((name) => [name, process.env[name]] as const);
  for (const name of CREDENTIAL_VARIABLES) delete process.env[name];
  try {
    return await run();
  } finally {
    for (const [name, value] of saved) if (value !== undefined) process.env[name] = value;
  }
}

describe("network guard", () => {
  it("refuses and records a connection to a non-loopback address", async () => {
    const socket = net.connect({ host: "169.254.169.254", port: 80 });
    const error = await new Promise<Error>((resolve) => socket.once("error", resolve));
    expect(error.message).toMatch(/network guard/);
    expect(takeNetworkAttempts()).toEqual([{ kind: "connect", target: "169.254.169.254:80" }]);
  });

  it("catches the SDK probing the EC2 metadata service when it has no credentials and IMDS is on", async () => {
    new FakeSecretsManager().install().put("prod/github", "never-read-value-0001");
    process.env.AWS_EC2_METADATA_DISABLED = "false";
    try {
      const error = await withoutStaticCredentials(() =>
        awsSecretsCredentials({ secretId: "prod/github", clientConfig: { region: "us-east-1" } }).get(),
      ).catch((thrown: unknown) => thrown);
      expect(error).toMatchObject({ code: "credentials_missing" });
    } finally {
      process.env.AWS_EC2_METADATA_DISABLED = "true";
    }
    // MSW sees the probe first (no socket is opened); either way the attempt is recorded and fails the test.
    expect(takeUnhandledRequests()).toContain("PUT http://169.254.169.254/latest/api/token");
    expect(takeNetworkAttempts()).toEqual([]);
  });

  it("with AWS_EC2_METADATA_DISABLED=true and no credentials, fails with credentials_missing and no network", async () => {
    const fake = new FakeSecretsManager().install();
    fake.put("prod/github", "never-read-value-0002");
    const error = await withoutStaticCredentials(() =>
      awsSecretsCredentials({ secretId: "prod/github", clientConfig: { region: "us-east-1" } }).get(),
    ).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: "credentials_missing", retryable: false });
    expect((error as { hint: string }).hint).toMatch(/no valid AWS credentials/);
    expect(fake.count()).toBe(0);
    expect(takeUnhandledRequests()).toEqual([]);
    expect(takeNetworkAttempts()).toEqual([]);
  });
});
