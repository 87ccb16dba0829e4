import { ConnectorError, type ErrorCode } from "@switchyard/core";
import { describe, expect, it } from "vitest";
import {
  type AwsSecretsCredentialsOptions,
  awsSecretsCredentials,
  mapSecretsManagerError,
} from "../src/index.js";
import { type Failure, FakeSecretsManager, TEST_CLIENT_CONFIG } from "./support/fake-secrets-manager.js";

function setup(overrides: Partial<AwsSecretsCredentialsOptions> = {}) {
  const fake = new FakeSecretsManager().install();
  fake.put("prod/github", "ghs_error_tests_value_1");
  const provider = awsSecretsCredentials({
    secretId: "prod/github",
    clientConfig: TEST_CLIENT_CONFIG,
    retry: { baseDelayMs: 5, minDelayMs: 1, maxRetries: 3 },
    ...overrides,
  });
  return { fake, provider };
}

async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!ConnectorError.isInstance(error)) throw new Error(`expected a ConnectorError, got ${String(error)}`);
  return error;
}

interface Case {
  readonly failure: Failure;
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly hint: RegExp;
}

const NOT_RETRIED: Record<string, Case> = {
  "ResourceNotFoundException (no such secret)": {
    failure: {
      type: "ResourceNotFoundException",
      message: "Secrets Manager can't find the specified secret.",
    },
    code: "credentials_missing",
    retryable: false,
    hint: /does not exist.*secret name or ARN.*region/,
  },
  AccessDeniedException: {
    failure: { type: "AccessDeniedException", message: "User: arn:aws:iam::1:user/x is not authorized" },
    code: "permission_denied",
    retryable: false,
    hint: /secretsmanager:GetSecretValue/,
  },
  DecryptionFailure: {
    failure: {
      type: "DecryptionFailure",
      message: "Secrets Manager can't decrypt the protected secret text",
    },
    code: "permission_denied",
    retryable: false,
    hint: /kms:Decrypt on the secret's customer managed KMS key/,
  },
  "InvalidRequestException (scheduled for deletion)": {
    failure: {
      type: "InvalidRequestException",
      message: "You can't perform this operation on the secret because it was marked for deletion.",
    },
    code: "credentials_missing",
    retryable: false,
    hint: /scheduled for deletion.*RestoreSecret/,
  },
  InvalidParameterException: {
    failure: { type: "InvalidParameterException", message: "Invalid name. Must be a valid name" },
    code: "credentials_missing",
    retryable: false,
    hint: /malformed/,
  },
  "LimitExceededException (a quota, though the SDK would retry it as throttling)": {
    failure: { type: "LimitExceededException", message: "Too many versions" },
    code: "quota_exhausted",
    retryable: false,
    hint: /quota \(not a request rate\)/,
  },
  "UnrecognizedClientException (the connector's own AWS credentials)": {
    failure: {
      type: "UnrecognizedClientException",
      message: "The security token included in the request is invalid.",
    },
    code: "credentials_missing",
    retryable: false,
    hint: /no valid AWS credentials/,
  },
};

const RETRIED: Record<string, Case> = {
  ThrottlingException: {
    failure: { type: "ThrottlingException", message: "Rate exceeded" },
    code: "rate_limited",
    retryable: true,
    hint: /throttling/,
  },
  TooManyRequestsException: {
    failure: { type: "TooManyRequestsException", status: 429 },
    code: "rate_limited",
    retryable: true,
    hint: /throttling/,
  },
  "InternalServiceError (HTTP 500)": {
    failure: { type: "InternalServiceError", status: 500, message: "An error occurred on the server side." },
    code: "upstream_unavailable",
    retryable: true,
    hint: /having trouble/,
  },
  "an unmodelled 503": {
    failure: { type: "ServiceUnavailable", status: 503 },
    code: "upstream_unavailable",
    retryable: true,
    hint: /having trouble/,
  },
  "a dropped connection": {
    failure: "network",
    code: "network",
    retryable: true,
    hint: /network/i,
  },
};

describe("error mapping", () => {
  for (const [name, expected] of Object.entries(NOT_RETRIED)) {
    it(`${name} -> ${expected.code}, not retried, with a hint`, async () => {
      const { fake, provider } = setup();
      fake.alwaysFail = expected.failure;
      const error = await failure(provider.get());
      expect(error).toMatchObject({ code: expected.code, retryable: false });
      expect(error.hint).toMatch(expected.hint);
      expect(error.message).toContain('"prod/github"');
      const type = (expected.failure as { type: string }).type;
      expect(error.upstream).toMatchObject({ status: 400, code: type });
      expect(error.upstream?.requestId).toMatch(/^req-/);
      // The SDK error is summarised (name and message only), never attached whole.
      expect(error.causes()[0]).toMatchObject({ name: type });
      expect(Object.keys(error.cause as object)).not.toContain("$response");
      expect(Object.keys(error.cause as object)).not.toContain("$metadata");
      expect(fake.count()).toBe(1);
    });
  }

  for (const [name, expected] of Object.entries(RETRIED)) {
    it(`${name} -> ${expected.code} after bounded retries`, async () => {
      const { fake, provider } = setup();
      fake.alwaysFail = expected.failure;
      const error = await failure(provider.get());
      expect(error).toMatchObject({ code: expected.code, retryable: true });
      expect(error.hint).toMatch(expected.hint);
      expect(error.message).toMatch(/gave up after 4 attempts/);
      expect(error.details).toMatchObject({ attempts: 4, secretId: "prod/github" });
      // 1 + 3 retries, and each of our attempts is exactly one HTTP request (the SDK's maxAttempts is 1).
      expect(fake.count()).toBe(4);
    });
  }

  it("retries throttling and then succeeds", async () => {
    const { fake, provider } = setup();
    fake.failures.push(
      { type: "ThrottlingException", message: "Rate exceeded" },
      { type: "ThrottlingException", message: "Rate exceeded" },
    );
    expect((await provider.get()).value).toBe("ghs_error_tests_value_1");
    expect(fake.count()).toBe(3);
  });

  it("keeps the SDK to one attempt even when the client config or AWS_MAX_ATTEMPTS asks for more", async () => {
    process.env.AWS_MAX_ATTEMPTS = "5";
    try {
      const { fake, provider } = setup({
        clientConfig: { ...TEST_CLIENT_CONFIG, maxAttempts: 5 },
        retry: { maxRetries: 0 },
      });
      fake.alwaysFail = { type: "ThrottlingException" };
      await expect(provider.get()).rejects.toMatchObject({ code: "rate_limited" });
      expect(fake.count()).toBe(1);
    } finally {
      delete process.env.AWS_MAX_ATTEMPTS;
    }
  });

  it("ends a read at its deadline however long throttling lasts", async () => {
    const { fake, provider } = setup({
      timeoutMs: 300,
      retry: { baseDelayMs: 100, minDelayMs: 50, maxRetries: 50 },
    });
    fake.alwaysFail = { type: "ThrottlingException", message: "Rate exceeded" };
    const error = await failure(provider.get());
    expect(error.code).toBe("rate_limited");

    expect(fake.count()).toBeGreaterThan(1);
    expect(fake.count()).toBeLessThan(10);
  });

  it("aborts a slow request at its own deadline (timeout), whatever one caller does", async () => {
    const { fake, provider } = setup({ timeoutMs: 200 });
    fake.delayMs = 5_000;
    const timedOut = await failure(provider.get());
    expect(timedOut.code).toBe("timeout");
    expect(timedOut.message).toContain('AWS Secrets Manager secret "prod/github"');

    // The read is shared by every caller waiting for it (core's refreshingCredentials), so one caller's
    // cancellation does not abort it: the pipeline stops that caller's wait at its own deadline instead, and
    // the read ends at the provider's own timeout.
    const controller = new AbortController();
    const slow = awsSecretsCredentials({
      secretId: "prod/github",
      clientConfig: TEST_CLIENT_CONFIG,
      timeoutMs: 300,
    });
    const pending = failure(slow.get({ signal: controller.signal }));
    controller.abort();
    expect((await pending).code).toBe("timeout");
  });

  it("applies a per-attempt request timeout from the client config, then retries", async () => {
    const { fake, provider } = setup({
      clientConfig: {
        ...TEST_CLIENT_CONFIG,
        requestHandler: { requestTimeout: 100, throwOnRequestTimeout: true },
      },
      retry: { maxRetries: 1, baseDelayMs: 5, minDelayMs: 1 },
      timeoutMs: 3_000,
    });
    fake.delayMs = 2_000;
    const error = await failure(provider.get());
    expect(error.code).toBe("timeout");
    expect(fake.count()).toBe(2);
  });

  it("maps unknown and local failures without guessing retryability from $retryable", () => {
    const target = { secretId: "s", stage: "AWSCURRENT" };
    const throttled = Object.assign(new Error("Rate exceeded"), {
      name: "ThrottlingException",
      $fault: "client",
      $retryable: undefined,
      $metadata: { httpStatusCode: 400, requestId: "r-1" },
    });
    expect(mapSecretsManagerError(throttled, target)).toMatchObject({
      code: "rate_limited",
      retryable: true,
    });
    const quota = Object.assign(new Error("quota"), {
      name: "LimitExceededException",
      $retryable: { throttling: true },
      $metadata: { httpStatusCode: 400 },
    });
    expect(mapSecretsManagerError(quota, target)).toMatchObject({
      code: "quota_exhausted",
      retryable: false,
    });
    const server = Object.assign(new Error("boom"), {
      name: "SomethingNew",
      $fault: "server",
      $metadata: {},
    });
    expect(mapSecretsManagerError(server, target)).toMatchObject({ code: "upstream_unavailable" });
    const client = Object.assign(new Error("odd"), { name: "SomethingOdd", $fault: "client", $metadata: {} });
    expect(mapSecretsManagerError(client, target)).toMatchObject({
      code: "invalid_response",
      retryable: false,
    });
    expect(mapSecretsManagerError(new Error("Region is missing"), target)).toMatchObject({
      code: "credentials_missing",
      hint: expect.stringMatching(/AWS_REGION/),
    });
    const noCredentials = Object.assign(new Error("Could not load credentials from any providers"), {
      name: "CredentialsProviderError",
    });
    expect(mapSecretsManagerError(noCredentials, target)).toMatchObject({ code: "credentials_missing" });
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:4566"), { code: "ECONNREFUSED" });
    expect(mapSecretsManagerError(refused, target)).toMatchObject({ code: "network", notApplied: true });
    expect(mapSecretsManagerError(new Error("bug"), target)).toMatchObject({ code: "internal" });
  });

  it("reports a missing AWSPENDING as a missing version when asked directly", () => {
    const error = mapSecretsManagerError(
      Object.assign(new Error("can't find the specified secret value for staging label: AWSPENDING"), {
        name: "ResourceNotFoundException",
        $metadata: { httpStatusCode: 400 },
      }),
      { secretId: "prod/db", key: "password", stage: "AWSPENDING" },
    );
    expect(error.code).toBe("credentials_missing");
    expect(error.message).toContain('no version of secret "prod/db" (version stage AWSPENDING)');
  });
});
