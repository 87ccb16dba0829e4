export {
  configuredEndpoint,
  createSecretsManagerClient,
  DEFAULT_REQUEST_HANDLER,
  resolveRegion,
} from "./aws-secrets-client.js";
export type { AwsSecretsCredentialsOptions } from "./aws-secrets-credentials.js";
export {
  awsSecretCredentialId,
  awsSecretsCredentials,
  DEFAULT_READ_TIMEOUT_MS,
  DEFAULT_REFRESH_AHEAD_MS,
  DEFAULT_TTL_MS,
} from "./aws-secrets-credentials.js";
export type { SecretReadTarget } from "./aws-secrets-error.js";
export { mapSecretsManagerError } from "./aws-secrets-error.js";
export type { AwsSecretsResolverOptions } from "./aws-secrets-resolver.js";
export {
  AWS_SECRETS_SCHEME,
  createAwsSecretsResolver,
  registerAwsSecretsResolver,
} from "./aws-secrets-resolver.js";
