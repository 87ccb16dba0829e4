import {
  GetSecretValueCommand,
  ListSecretsCommand,
  ResourceNotFoundException,
  type SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AWS_SEEDED_SECRETS, createAwsSecretsSandboxHandlers, GITHUB_SANDBOX_TOKEN } from "../src/index.js";
import { NetGuard, rejection, secretsClient } from "./aws-helpers.js";

/**
 * The same handlers in-process (CONTRACT_TARGET=mock): setupServer intercepts the SDK's node:https requests to
 * the real endpoint, https://secretsmanager.us-east-1.amazonaws.com, so no socket is opened at all.
 */

const aws = createAwsSecretsSandboxHandlers();
const server = setupServer(...aws.handlers);
const unhandled: string[] = [];
server.events.on("request:unhandled", ({ request }) => {
  unhandled.push(`${request.method} ${request.url}`);
});
const guard = new NetGuard();
let client: SecretsManagerClient;

beforeAll(() => {
  process.env.AWS_EC2_METADATA_DISABLED = "true";
  server.listen({ onUnhandledRequest: "error" });
  guard.install();
  client = secretsClient(); // no endpoint: the SDK's default for us-east-1
});
afterEach(() => {
  aws.reset();
  expect(unhandled).toEqual([]);
});
afterAll(() => {
  client.destroy();
  guard.uninstall();
  server.close();
});

describe("createAwsSecretsSandboxHandlers under setupServer", () => {
  it("serves the default endpoint, rotates mid-run and surfaces typed errors", async () => {
    expect(aws.bases).toEqual(["https://secretsmanager.us-east-1.amazonaws.com"]);
    const first = await client.send(new GetSecretValueCommand({ SecretId: AWS_SEEDED_SECRETS.github }));
    expect(JSON.parse(first.SecretString ?? "{}")).toEqual({ token: GITHUB_SANDBOX_TOKEN });

    aws.state.rotate(AWS_SEEDED_SECRETS.github, { token: "ghp_after_rotation" }, { finish: true });
    const second = await client.send(new GetSecretValueCommand({ SecretId: AWS_SEEDED_SECRETS.github }));
    expect(JSON.parse(second.SecretString ?? "{}")).toEqual({ token: "ghp_after_rotation" });
    const previous = await client.send(
      new GetSecretValueCommand({ SecretId: AWS_SEEDED_SECRETS.github, VersionStage: "AWSPREVIOUS" }),
    );
    expect(previous.VersionId).toBe(first.VersionId);

    expect(await rejection(client.send(new GetSecretValueCommand({ SecretId: "missing" })))).toBeInstanceOf(
      ResourceNotFoundException,
    );
    aws.faults.set({ kind: "rate_limit_429", count: 1 });
    expect((await rejection(client.send(new ListSecretsCommand({})))).name).toBe("ThrottlingException");
    expect((await client.send(new ListSecretsCommand({ MaxResults: 5 }))).SecretList).toHaveLength(5);
    expect(aws.state.calls.GetSecretValue).toBe(4);
  });

  it("opened no socket and resolved no name: nothing reached AWS or the EC2 metadata address", () => {
    expect(guard.connects).toEqual([]);
    expect(guard.lookups).toEqual([]);
  });
});
