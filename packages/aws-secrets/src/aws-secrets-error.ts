import { ConnectorError, networkError, type UpstreamErrorInfo } from "@switchyard/core";

/** Which secret a failed read was for: every message and hint names it (never its value). */
export interface SecretReadTarget {
  readonly secretId: string;
  readonly key?: string | undefined;
  /** `AWSCURRENT` or `AWSPENDING`. */
  readonly stage: string;
}

/** The fields of an AWS SDK v3 service exception this package reads. Everything else on it is dropped. */
interface AwsErrorShape {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly $fault?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown; readonly requestId?: unknown };
}

/** Error names AWS uses for request-rate throttling, in Secrets Manager and the shared AWS protocol layer. */
const THROTTLING_NAMES = new Set([
  "ThrottlingException",
  "Throttling",
  "ThrottledException",
  "TooManyRequestsException",
  "RequestThrottled",
  "RequestThrottledException",
  "RequestLimitExceeded",
  "SlowDown",
  "ProvisionedThroughputExceededException",
  "BandwidthLimitExceeded",
  "EC2ThrottledException",
  "PriorRequestNotComplete",
]);

const SERVER_NAMES = new Set([
  "InternalServiceError",
  "InternalServiceErrorException",
  "InternalFailure",
  "InternalServerError",
  "ServiceUnavailable",
  "ServiceUnavailableException",
]);

/** The connector's own AWS identity was refused (not the secret's value: that is the connector's credential). */
const AWS_IDENTITY_NAMES = new Set([
  "UnrecognizedClientException",
  "InvalidClientTokenId",
  "InvalidSignatureException",
  "SignatureDoesNotMatch",
  "IncompleteSignature",
  "IncompleteSignatureException",
  "MissingAuthenticationToken",
  "MissingAuthenticationTokenException",
  "ExpiredToken",
  "ExpiredTokenException",
  "RequestExpired",
  "CredentialsProviderError",
]);

const MAX_UPSTREAM_MESSAGE = 300;

function describeTarget(target: SecretReadTarget): string {
  const stage = target.stage === "AWSCURRENT" ? "" : ` (version stage ${target.stage})`;
  return `secret "${target.secretId}"${stage}`;
}

function upstreamInfo(error: AwsErrorShape, name: string): UpstreamErrorInfo {
  const status = error.$metadata?.httpStatusCode;
  const requestId = error.$metadata?.requestId;
  return {
    ...(typeof status === "number" ? { status } : {}),
    code: name,
    ...(typeof requestId === "string" ? { requestId } : {}),
  };
}

/**
 * Turns whatever a GetSecretValue call threw into a ConnectorError with a hint for the operator or model.
 * The SDK error is summarised (name, redacted message, code) by ConnectorError and never kept whole: its
 * `$response` and request objects stay out of logs. Retryability comes from the error name and status, never
 * from the SDK's `$retryable` (which is unset on throttling errors the SDK itself retries).
 */
export function mapSecretsManagerError(error: unknown, target: SecretReadTarget): ConnectorError {
  if (ConnectorError.isInstance(error)) return error;
  const shape = (typeof error === "object" && error !== null ? error : {}) as AwsErrorShape;
  const name = typeof shape.name === "string" ? shape.name : "Error";
  const rawMessage = typeof shape.message === "string" ? shape.message : "";
  const said = rawMessage ? `: ${rawMessage.slice(0, MAX_UPSTREAM_MESSAGE)}` : "";
  const what = describeTarget(target);
  const upstream = upstreamInfo(shape, name);
  const status = typeof upstream.status === "number" ? upstream.status : undefined;
  const base = { upstream, cause: error, details: { secretId: target.secretId, stage: target.stage } };

  switch (name) {
    case "ResourceNotFoundException":
      return new ConnectorError({
        ...base,
        code: "credentials_missing",
        message:
          target.stage === "AWSCURRENT"
            ? `AWS Secrets Manager has no ${what}${said}`
            : `AWS Secrets Manager has no version of ${what}${said}`,
        hint: `The credential points at AWS Secrets Manager ${what}, which does not exist in this account and region. Ask the operator to check the secret name or ARN and the region (AWS_REGION, or the region in the ARN). Retrying will not help.`,
      });
    case "AccessDeniedException":
      return new ConnectorError({
        ...base,
        code: "permission_denied",
        message: `AWS Secrets Manager denied reading ${what}${said}`,
        hint: `The connector's AWS identity may not read ${what}. Ask the operator to allow secretsmanager:GetSecretValue on it (the IAM policy, and for a cross-account secret also its resource policy). Retrying will not help.`,
      });
    case "DecryptionFailure":
      return new ConnectorError({
        ...base,
        code: "permission_denied",
        message: `AWS Secrets Manager could not decrypt ${what} with its KMS key${said}`,
        hint: `Secrets Manager cannot decrypt ${what}: the connector's AWS identity needs kms:Decrypt on the secret's customer managed KMS key (key policy and IAM), and the key must be enabled. Ask the operator; retrying will not help.`,
      });
    case "InvalidRequestException":
      return new ConnectorError({
        ...base,
        code: "credentials_missing",
        message: `AWS Secrets Manager refused to read ${what}, which is not usable in its current state${said}`,
        hint: `${what} cannot be read as it is (for example it is scheduled for deletion). Ask the operator to restore it (RestoreSecret) or point the credential at another secret. Retrying will not help.`,
      });
    case "InvalidParameterException":
    case "ValidationException":
      return new ConnectorError({
        ...base,
        code: "credentials_missing",
        message: `AWS Secrets Manager rejected the request for ${what} as invalid${said}`,
        hint: `The secret reference is malformed (secret name, ARN or version stage). Ask the operator to fix the credential setting (aws-sm://<secret-id>#<key>). Retrying will not help.`,
      });
    case "LimitExceededException":
      // The SDK's standard retry strategy lists this name with the throttling errors and retries it, but for
      // Secrets Manager it means a service quota is used up (too many versions, secrets or replicas), which
      // does not recover within a call. So it is not retried here, and not reported as a rate limit.
      return new ConnectorError({
        ...base,
        code: "quota_exhausted",
        retryable: false,
        message: `AWS Secrets Manager reports a service quota exhausted while reading ${what}${said}`,
        hint: "A Secrets Manager quota (not a request rate) is exhausted for this account and region. Ask the operator to raise the quota or clean up versions; retrying soon will not help.",
      });
    default:
      break;
  }

  if (THROTTLING_NAMES.has(name) || status === 429) {
    return new ConnectorError({
      ...base,
      code: "rate_limited",
      notApplied: true,
      message: `AWS Secrets Manager throttled the read of ${what}${said}`,
      hint: "Secrets Manager is throttling this account's requests (shared by every caller in the account and region). Wait a few seconds before calling again.",
    });
  }
  if (AWS_IDENTITY_NAMES.has(name)) {
    return new ConnectorError({
      ...base,
      code: "credentials_missing",
      message: `The connector's own AWS credentials were refused while reading ${what} (${name})${said}`,
      hint: "The connector has no valid AWS credentials for Secrets Manager (environment variables, profile, or role). Ask the operator to configure them; retrying will not help.",
    });
  }
  if (name === "TimeoutError") {
    return new ConnectorError({
      ...base,
      code: "timeout",
      message: `Reading ${what} from AWS Secrets Manager timed out${said}`,
    });
  }
  if (SERVER_NAMES.has(name) || shape.$fault === "server" || (status !== undefined && status >= 500)) {
    return new ConnectorError({
      ...base,
      code: "upstream_unavailable",
      message: `AWS Secrets Manager failed while reading ${what} (${name})${said}`,
      hint: "AWS Secrets Manager is having trouble; try again in a little while.",
    });
  }
  const network = networkError(error);
  if (network) {
    return network.with({
      message: network.message.replace("the upstream", `AWS Secrets Manager (reading ${what})`),
      details: base.details,
    });
  }
  if (/region is missing/i.test(rawMessage)) {
    return new ConnectorError({
      ...base,
      code: "credentials_missing",
      message: `No AWS region is configured for reading ${what}.`,
      hint: "Ask the operator to set AWS_REGION (or use the secret's full ARN, which names its region).",
    });
  }
  if (status !== undefined || shape.$fault === "client") {
    return new ConnectorError({
      ...base,
      code: "invalid_response",
      message: `AWS Secrets Manager failed to return ${what} (${name})${said}`,
      hint: "Secrets Manager answered with an error this connector does not know; report it to the operator with the request id.",
    });
  }
  return new ConnectorError({
    ...base,
    code: "internal",
    message: `Reading ${what} from AWS Secrets Manager failed unexpectedly (${name})${said}`,
  });
}
