/** Shared names and records of the fake AWS Secrets Manager. */

/** The operations the fake answers (`X-Amz-Target: secretsmanager.<Operation>`). */
export const AWS_SECRETS_OPERATIONS = [
  "GetSecretValue",
  "BatchGetSecretValue",
  "DescribeSecret",
  "ListSecrets",
  "ListSecretVersionIds",
  "CreateSecret",
  "PutSecretValue",
  "UpdateSecretVersionStage",
  "DeleteSecret",
  "RestoreSecret",
] as const;

export type AwsSecretsOperation = (typeof AWS_SECRETS_OPERATIONS)[number];

export function isAwsSecretsOperation(name: string): name is AwsSecretsOperation {
  return (AWS_SECRETS_OPERATIONS as readonly string[]).includes(name);
}

/** Requests per second per operation before `ThrottlingException`: the service's documented quotas. */
export const DEFAULT_AWS_SECRETS_RATE_LIMITS: Readonly<Record<AwsSecretsOperation, number>> = {
  GetSecretValue: 10_000,
  BatchGetSecretValue: 100,
  DescribeSecret: 40_000,
  ListSecrets: 100,
  ListSecretVersionIds: 50,
  CreateSecret: 50,
  PutSecretValue: 50,
  UpdateSecretVersionStage: 50,
  DeleteSecret: 50,
  RestoreSecret: 50,
};

export const AWSCURRENT = "AWSCURRENT";
export const AWSPENDING = "AWSPENDING";
export const AWSPREVIOUS = "AWSPREVIOUS";

export const DEFAULT_REGION = "us-east-1";
export const DEFAULT_ACCOUNT_ID = "123456789012";

/** The access key `startSandbox` hands out (`AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`). */
export const AWS_SANDBOX_ACCESS_KEY_ID = "AKIASANDBOX000000001";
export const AWS_SANDBOX_SECRET_ACCESS_KEY = "sandbox/SecretAccessKey/000000000000000000";

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface AwsTag {
  readonly Key: string;
  readonly Value: string;
}

/** A secret value as the helpers take it: a string, bytes (`SecretBinary`) or an object (stored as JSON). */
export type SecretValueInput = string | Uint8Array | Readonly<Record<string, unknown>>;

export interface SecretVersionRecord {
  readonly versionId: string;
  readonly secretString: string | undefined;
  readonly secretBinary: Uint8Array | undefined;
  /** Epoch ms. */
  readonly createdDate: number;
  /** Epoch ms, truncated to the day as the service reports it. */
  lastAccessedDate: number | undefined;
  /** Staging labels on this version; each label is on at most one version of the secret. */
  readonly stages: Set<string>;
}

export interface SecretRecord {
  readonly arn: string;
  readonly name: string;
  description: string | undefined;
  kmsKeyId: string | undefined;
  tags: AwsTag[];
  /** Epoch ms. */
  readonly createdDate: number;
  lastChangedDate: number;
  lastAccessedDate: number | undefined;
  lastRotatedDate: number | undefined;
  rotationEnabled: boolean;
  /** When a scheduled deletion takes effect (epoch ms); undefined while the secret is not scheduled. */
  deletionDate: number | undefined;
  /** When deletion was requested (epoch ms). */
  deletedDate: number | undefined;
  /** Versions in creation order. */
  readonly versions: Map<string, SecretVersionRecord>;
  /** `true`: every operation on this secret is denied; a set: those operations are. */
  accessDenied: boolean | ReadonlySet<AwsSecretsOperation>;
  /** Reads of the value fail with `DecryptionFailure` (as when KMS cannot decrypt it). */
  decryptionFailure: boolean;
}

/** Epoch ms to the awsJson timestamp (epoch seconds, fractional). */
export const epochSeconds = (ms: number) => ms / 1000;

/** The day an access falls on (midnight UTC), as `LastAccessedDate` is reported. */
export const dayOf = (ms: number) => ms - (ms % 86_400_000);
