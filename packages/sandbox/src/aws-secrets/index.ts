// The fake AWS Secrets Manager (upstream "aws-secrets")

export type { AwsSecretsErrorName } from "./aws-secrets-errors.js";
export {
  AWS_SECRETS_ERROR_NAMES,
  AwsSecretsError,
  awsErrorResponse,
  COMMON_ERRORS as AWS_SECRETS_COMMON_ERRORS,
  MODELED_ERRORS as AWS_SECRETS_MODELED_ERRORS,
} from "./aws-secrets-errors.js";
export { awsSecretsFaultFlavor } from "./aws-secrets-fault-flavor.js";
export type { AwsSecretsSandbox, AwsSecretsSandboxOptions } from "./aws-secrets-handlers.js";
export { createAwsSecretsSandboxHandlers } from "./aws-secrets-handlers.js";
export type {
  AwsCredentials,
  AwsSecretsOperation,
  AwsTag,
  SecretRecord,
  SecretValueInput,
  SecretVersionRecord,
} from "./aws-secrets-model.js";
export {
  AWS_SANDBOX_ACCESS_KEY_ID,
  AWS_SANDBOX_SECRET_ACCESS_KEY,
  AWS_SECRETS_OPERATIONS,
  AWSCURRENT,
  AWSPENDING,
  AWSPREVIOUS,
  DEFAULT_AWS_SECRETS_RATE_LIMITS,
} from "./aws-secrets-model.js";
export {
  AWS_SEEDED_APP_SECRETS,
  AWS_SEEDED_SECRETS,
  SANDBOX_POSTGRES_PASSWORDS,
} from "./aws-secrets-seed.js";
export type { AwsSecretsStateOptions, NewSecret, ReadOptions } from "./aws-secrets-state.js";
export { AwsSecretsState } from "./aws-secrets-state.js";
export type { AwsSecretsUpstreamOptions } from "./aws-secrets-upstream.js";
export { awsSecretsUpstream } from "./aws-secrets-upstream.js";
