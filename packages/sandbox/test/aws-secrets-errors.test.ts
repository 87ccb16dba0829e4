import {
  DecryptionFailure,
  DescribeSecretCommand,
  GetSecretValueCommand,
  InternalServiceError,
  InvalidNextTokenException,
  InvalidParameterException,
  InvalidRequestException,
  ListSecretsCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  type SecretsManagerClient,
  SecretsManagerServiceException,
  UpdateSecretVersionStageCommand,
} from "@aws-sdk/client-secrets-manager";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AWS_SEEDED_SECRETS, type Sandbox, startSandbox } from "../src/index.js";
import { rejection, secretsClient } from "./aws-helpers.js";

/** Every error the fake produces, as the real SDK surfaces it: typed class, `name`, `$fault`, HTTP status. */

let sandbox: Sandbox<"aws-secrets">;
let client: SecretsManagerClient;
const state = () => sandbox.state["aws-secrets"];
const get = (SecretId: string, target = client) => target.send(new GetSecretValueCommand({ SecretId }));

beforeAll(async () => {
  process.env.AWS_EC2_METADATA_DISABLED = "true";
  sandbox = await startSandbox({ upstreams: ["aws-secrets"] });
  client = secretsClient({ endpoint: sandbox.urls["aws-secrets"] });
});
afterEach(() => sandbox.reset());
afterAll(async () => {
  client.destroy();
  await sandbox.close();
});

function expectAwsError(error: any, name: string, fault: "client" | "server", status: number): void {
  expect(error).toBeInstanceOf(SecretsManagerServiceException);
  expect(error.name).toBe(name);
  expect(error.$fault).toBe(fault);
  expect(error.$metadata.httpStatusCode).toBe(status);
  expect(typeof error.message).toBe("string");
  expect(error.message.length).toBeGreaterThan(0);
}

describe("modelled errors arrive as the SDK's classes", () => {
  it("ResourceNotFoundException: no such secret", async () => {
    const error = await rejection(get("no/such/secret"));
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expectAwsError(error, "ResourceNotFoundException", "client", 400);
    expect(error.message).toBe("Secrets Manager can't find the specified secret.");
  });

  it("DecryptionFailure: configured per secret (seeded on sandbox/undecryptable, switchable at run time)", async () => {
    const error = await rejection(get(AWS_SEEDED_SECRETS.undecryptable));
    expect(error).toBeInstanceOf(DecryptionFailure);
    expectAwsError(error, "DecryptionFailure", "client", 400);
    // Metadata needs no decryption.
    expect(
      (await client.send(new DescribeSecretCommand({ SecretId: AWS_SEEDED_SECRETS.undecryptable }))).KmsKeyId,
    ).toMatch(/^arn:aws:kms:/);
    state().failDecryption(AWS_SEEDED_SECRETS.github);
    expect(await rejection(get(AWS_SEEDED_SECRETS.github))).toBeInstanceOf(DecryptionFailure);
    state().failDecryption(AWS_SEEDED_SECRETS.github, false);
    expect((await get(AWS_SEEDED_SECRETS.github)).Name).toBe(AWS_SEEDED_SECRETS.github);
  });

  it("InvalidRequestException: the secret is scheduled for deletion", async () => {
    const error = await rejection(get(AWS_SEEDED_SECRETS.retired));
    expect(error).toBeInstanceOf(InvalidRequestException);
    expectAwsError(error, "InvalidRequestException", "client", 400);
  });

  it("InvalidParameterException: bad or missing parameters", async () => {
    const noTarget = await rejection(
      client.send(
        new UpdateSecretVersionStageCommand({
          SecretId: AWS_SEEDED_SECRETS.github,
          VersionStage: "AWSCURRENT",
        }),
      ),
    );
    expect(noTarget).toBeInstanceOf(InvalidParameterException);
    expectAwsError(noTarget, "InvalidParameterException", "client", 400);
    const both = await rejection(
      client.send(
        new PutSecretValueCommand({
          SecretId: AWS_SEEDED_SECRETS.github,
          SecretString: "x",
          SecretBinary: new Uint8Array([1]),
        }),
      ),
    );
    expect(both).toBeInstanceOf(InvalidParameterException);
    expect(await rejection(client.send(new ListSecretsCommand({ MaxResults: 101 })))).toBeInstanceOf(
      InvalidParameterException,
    );
  });

  it("InvalidNextTokenException: a NextToken the fake did not issue (or for another query)", async () => {
    const error = await rejection(client.send(new ListSecretsCommand({ NextToken: "not-a-token" })));
    expect(error).toBeInstanceOf(InvalidNextTokenException);
    const page = await client.send(new ListSecretsCommand({ MaxResults: 2 }));
    const otherQuery = await rejection(
      client.send(
        new ListSecretsCommand({
          MaxResults: 2,
          NextToken: page.NextToken,
          Filters: [{ Key: "name", Values: ["apps/"] }],
        }),
      ),
    );
    expect(otherQuery).toBeInstanceOf(InvalidNextTokenException);
  });

  it("InternalServiceError: a server fault (500), queued with failNext for one operation", async () => {
    state().failNext("InternalServiceError", { operation: "GetSecretValue" });
    // Another operation is not affected.
    await client.send(new DescribeSecretCommand({ SecretId: AWS_SEEDED_SECRETS.github }));
    const error = await rejection(get(AWS_SEEDED_SECRETS.github));
    expect(error).toBeInstanceOf(InternalServiceError);
    expectAwsError(error, "InternalServiceError", "server", 500);
    expect((await get(AWS_SEEDED_SECRETS.github)).Name).toBe(AWS_SEEDED_SECRETS.github);
  });

  it("failNext can target one secret and several calls", async () => {
    state().failNext("ResourceNotFoundException", { secretId: AWS_SEEDED_SECRETS.postgres, count: 2 });
    expect((await get(AWS_SEEDED_SECRETS.github)).Name).toBe(AWS_SEEDED_SECRETS.github);
    const arn = (await client.send(new DescribeSecretCommand({ SecretId: AWS_SEEDED_SECRETS.github }))).ARN;
    expect(arn).toBeDefined();
    expect(await rejection(get(AWS_SEEDED_SECRETS.postgres))).toBeInstanceOf(ResourceNotFoundException);
    expect(await rejection(get(AWS_SEEDED_SECRETS.postgres))).toBeInstanceOf(ResourceNotFoundException);
    expect((await get(AWS_SEEDED_SECRETS.postgres)).Name).toBe(AWS_SEEDED_SECRETS.postgres);
  });
});

describe("common errors outside the model keep their name", () => {
  it("AccessDeniedException: seeded on sandbox/restricted, or switched on per secret and operation", async () => {
    const error = await rejection(get(AWS_SEEDED_SECRETS.restricted));
    expectAwsError(error, "AccessDeniedException", "client", 400);
    expect(error.message).toContain("is not authorized to perform: secretsmanager:GetSecretValue");

    state().denyAccess(AWS_SEEDED_SECRETS.github, ["GetSecretValue"]);
    expectAwsError(await rejection(get(AWS_SEEDED_SECRETS.github)), "AccessDeniedException", "client", 400);
    // DescribeSecret is still allowed.
    expect((await client.send(new DescribeSecretCommand({ SecretId: AWS_SEEDED_SECRETS.github }))).Name).toBe(
      AWS_SEEDED_SECRETS.github,
    );
  });

  it("UnrecognizedClientException: an access key the sandbox did not issue (or revoked)", async () => {
    const stranger = secretsClient({
      endpoint: sandbox.urls["aws-secrets"],
      credentials: {
        accessKeyId: "AKIAIOSFODNN7EXAMPLE",
        secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      },
    });
    expectAwsError(
      await rejection(get(AWS_SEEDED_SECRETS.github, stranger)),
      "UnrecognizedClientException",
      "client",
      400,
    );
    stranger.destroy();

    const issued = state().issueCredentials();
    const second = secretsClient({ endpoint: sandbox.urls["aws-secrets"], credentials: issued });
    expect((await get(AWS_SEEDED_SECRETS.github, second)).Name).toBe(AWS_SEEDED_SECRETS.github);
    state().revokeCredentials(issued.accessKeyId);
    expectAwsError(
      await rejection(get(AWS_SEEDED_SECRETS.github, second)),
      "UnrecognizedClientException",
      "client",
      400,
    );
    second.destroy();
  });

  it("InvalidSignatureException: signed for another region", async () => {
    const elsewhere = secretsClient({ endpoint: sandbox.urls["aws-secrets"], region: "eu-west-1" });
    expectAwsError(
      await rejection(get(AWS_SEEDED_SECRETS.github, elsewhere)),
      "InvalidSignatureException",
      "client",
      400,
    );
    elsewhere.destroy();
  });
});

describe("throttling", () => {
  it("ThrottlingException (HTTP 400) once an operation's rate is spent, until the one-second window moves", async () => {
    let now = 1_800_000_000_000;
    const clocked = await startSandbox({
      upstreams: ["aws-secrets"],
      now: () => now,
      options: { "aws-secrets": { rateLimits: { GetSecretValue: 2 } } },
    });
    const local = secretsClient({ endpoint: clocked.urls["aws-secrets"] });
    try {
      await get(AWS_SEEDED_SECRETS.github, local);
      await get(AWS_SEEDED_SECRETS.github, local);
      const error = await rejection(get(AWS_SEEDED_SECRETS.github, local));
      expectAwsError(error, "ThrottlingException", "client", 400);
      expect(error.message).toBe("Rate exceeded");
      // Other operations have their own quota.
      await local.send(new DescribeSecretCommand({ SecretId: AWS_SEEDED_SECRETS.github }));
      now += 1_000;
      expect((await get(AWS_SEEDED_SECRETS.github, local)).Name).toBe(AWS_SEEDED_SECRETS.github);
      expect(clocked.state["aws-secrets"].rateLimits.GetSecretValue).toBe(2);
    } finally {
      local.destroy();
      await clocked.close();
    }
  });

  it("the SDK's standard retry recognises the fake's throttling and 5xx and tries again", async () => {
    const retrying = secretsClient({ endpoint: sandbox.urls["aws-secrets"], maxAttempts: 2 });
    try {
      state().setRateLimit("GetSecretValue", 0);
      const spent = await rejection(get(AWS_SEEDED_SECRETS.github, retrying));
      expect(spent.name).toBe("ThrottlingException");
      expect(spent.$metadata.attempts).toBe(2); // one retry after a throttling backoff (< 500 ms)
      state().setRateLimit("GetSecretValue", undefined);

      sandbox.faults.set("aws-secrets", { kind: "server_error", count: 1 });
      const recovered = await get(AWS_SEEDED_SECRETS.github, retrying);
      expect(recovered.$metadata.attempts).toBe(2);
    } finally {
      retrying.destroy();
    }
  });
});

describe("sandbox faults in Secrets Manager's words", () => {
  it("rate_limit_429, server_error 500/503 and expired_credential via the control endpoint", async () => {
    const setFault = (fault: unknown) =>
      fetch(`${sandbox.url}/__sandbox/faults`, {
        method: "POST",
        body: JSON.stringify({ upstream: "aws-secrets", fault }),
      });
    expect((await setFault({ kind: "rate_limit_429", count: 1 })).status).toBe(201);
    expectAwsError(await rejection(get(AWS_SEEDED_SECRETS.github)), "ThrottlingException", "client", 400);

    await setFault({ kind: "server_error", count: 1 });
    expect(await rejection(get(AWS_SEEDED_SECRETS.github))).toBeInstanceOf(InternalServiceError);

    await setFault({ kind: "server_error", status: 503, count: 1 });
    expectAwsError(
      await rejection(get(AWS_SEEDED_SECRETS.github)),
      "ServiceUnavailableException",
      "server",
      503,
    );

    await setFault({ kind: "expired_credential", count: 1 });
    expectAwsError(await rejection(get(AWS_SEEDED_SECRETS.github)), "ExpiredTokenException", "client", 400);

    await setFault({ kind: "connection_reset", count: 1 });
    const reset = await rejection(get(AWS_SEEDED_SECRETS.github));
    expect(reset).not.toBeInstanceOf(SecretsManagerServiceException);

    expect((await get(AWS_SEEDED_SECRETS.github)).Name).toBe(AWS_SEEDED_SECRETS.github);
  });
});

describe("the wire protocol (raw fetch)", () => {
  const post = (headers: Record<string, string>, body = "{}") =>
    fetch(`${sandbox.urls["aws-secrets"]}/`, { method: "POST", headers, body });
  const signed = {
    "content-type": "application/x-amz-json-1.1",
    "x-amz-target": "secretsmanager.GetSecretValue",
    authorization: `AWS4-HMAC-SHA256 Credential=AKIASANDBOX000000001/20260101/us-east-1/secretsmanager/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=${"0".repeat(64)}`,
  };

  it("answers awsJson1.1 with a request id; checks auth, target and content type", async () => {
    const ok = await post(signed, JSON.stringify({ SecretId: AWS_SEEDED_SECRETS.github }));
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toBe("application/x-amz-json-1.1");
    expect(ok.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f-]{36}$/);
    expect(((await ok.json()) as { CreatedDate: unknown }).CreatedDate).toEqual(expect.any(Number));

    const cases: [Record<string, string>, string, string][] = [
      [{ ...signed, authorization: "" }, "{}", "MissingAuthenticationTokenException"],
      [{ ...signed, authorization: "Bearer abc" }, "{}", "IncompleteSignatureException"],
      [{ ...signed, "x-amz-target": "secretsmanager.RotateEverything" }, "{}", "UnknownOperationException"],
      [{ ...signed, "x-amz-target": "dynamodb.GetItem" }, "{}", "UnknownOperationException"],
      [{ ...signed, "content-type": "application/json" }, "{}", "SerializationException"],
      [signed, "{not json", "SerializationException"],
      [signed, "{}", "InvalidParameterException"],
    ];
    for (const [headers, body, type] of cases) {
      const response = await post(headers, body);
      expect(response.status, type).toBe(400);
      expect(await response.json()).toEqual({ __type: type, message: expect.any(String) });
    }
    const get404 = await fetch(`${sandbox.urls["aws-secrets"]}/anything`);
    expect(get404.status).toBe(404);
  });
});
