import { SecretsManagerClient, type SecretsManagerClientConfig } from "@aws-sdk/client-secrets-manager";

/** Per-attempt HTTP limits of the clients built here; the read as a whole is bounded by `timeoutMs`. */
export const DEFAULT_REQUEST_HANDLER = {
  connectionTimeout: 3_000,
  requestTimeout: 5_000,
  // Without this the SDK only logs a warning when requestTimeout passes and keeps waiting.
  throwOnRequestTimeout: true,
} as const;

const ARN_REGION = /^arn:[^:]+:secretsmanager:([a-z0-9-]+):/;

/**
 * The region to read a secret in: the client config's, else the one in the secret's ARN (a secret can only
 * be read in its own region), else AWS_REGION, else AWS_DEFAULT_REGION (which the JS SDK alone ignores).
 * Undefined leaves it to the SDK (the shared config file's profile).
 */
export function resolveRegion(
  secretId: string,
  config: SecretsManagerClientConfig | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (typeof config?.region === "string" && config.region) return config.region;
  const fromArn = ARN_REGION.exec(secretId)?.[1];
  if (fromArn) return fromArn;
  return env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || undefined;
}

/**
 * The endpoint a client will call, for keying shared clients: the config's, else the SDK's standard
 * variables AWS_ENDPOINT_URL_SECRETS_MANAGER / AWS_ENDPOINT_URL (the SDK reads those itself; they are not
 * passed on, so the SDK's own rules, such as AWS_IGNORE_CONFIGURED_ENDPOINT_URLS, still apply).
 */
export function configuredEndpoint(
  config: SecretsManagerClientConfig | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const endpoint = config?.endpoint;
  if (typeof endpoint === "string") return endpoint;
  if (endpoint !== undefined) return "(custom endpoint)";
  return env.AWS_ENDPOINT_URL_SECRETS_MANAGER || env.AWS_ENDPOINT_URL || undefined;
}

/**
 * A Secrets Manager client whose retries are ours: `maxAttempts: 1` always (the SDK would otherwise retry 3
 * times inside each of our attempts, and retry LimitExceededException as throttling), and per-attempt
 * connection and request timeouts unless the config brings its own request handler.
 */
export function createSecretsManagerClient(
  config: SecretsManagerClientConfig = {},
  region?: string,
): SecretsManagerClient {
  return new SecretsManagerClient({
    ...config,
    ...(region ? { region } : {}),
    requestHandler: config.requestHandler ?? DEFAULT_REQUEST_HANDLER,
    maxAttempts: 1,
  });
}
