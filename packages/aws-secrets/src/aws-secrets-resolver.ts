import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import {
  ConnectorError,
  type CredentialProvider,
  type CredentialReference,
  type CredentialResolver,
  type CredentialResolverContext,
  type RedisHandle,
  redisCredentialCoordinator,
  registerCredentialResolver,
} from "@switchyard/core";
import { configuredEndpoint, createSecretsManagerClient, resolveRegion } from "./aws-secrets-client.js";
import {
  type AwsSecretsCredentialsOptions,
  awsSecretCredentialId,
  awsSecretsCredentials,
} from "./aws-secrets-credentials.js";

/** The scheme of `aws-sm://<secret-id>#<json-key>` credential references. */
export const AWS_SECRETS_SCHEME = "aws-sm";

export interface AwsSecretsResolverOptions
  extends Pick<
    AwsSecretsCredentialsOptions,
    "clientConfig" | "ttlMs" | "refreshAheadMs" | "now" | "timeoutMs" | "retry"
  > {
  /**
   * Shares each secret's reads between processes through core's Redis coordinator (one GetSecretValue per
   * TTL for the whole fleet). The value is stored in Redis: use a Redis you would trust with it.
   */
  readonly redis?: RedisHandle | undefined;
}

/**
 * A resolver for `aws-sm://` references. Every reference to the same secret and key (from any connector)
 * shares one cached provider, and every secret in the same region and endpoint shares one SDK client.
 */
export function createAwsSecretsResolver(options: AwsSecretsResolverOptions = {}): CredentialResolver {
  const clients = new Map<string, SecretsManagerClient>();
  const providers = new Map<string, CredentialProvider>();

  return (reference: CredentialReference, context: CredentialResolverContext): CredentialProvider => {
    const region = resolveRegion(reference.secretId, options.clientConfig);
    const clientKey = `${region ?? "(default region)"}|${configuredEndpoint(options.clientConfig) ?? "(default endpoint)"}`;
    const id = awsSecretCredentialId(reference.secretId, reference.key);
    const providerKey = `${clientKey}|${id}`;
    let shared = providers.get(providerKey);
    if (!shared) {
      let client = clients.get(clientKey);
      if (!client) {
        client = createSecretsManagerClient(options.clientConfig, region);
        clients.set(clientKey, client);
      }
      const { redis, ...rest } = options;
      shared = awsSecretsCredentials({
        ...rest,
        secretId: reference.secretId,
        key: reference.key,
        client,
        ...(redis ? { coordinator: redisCredentialCoordinator({ redis, name: providerKey }) } : {}),
      });
      providers.set(providerKey, shared);
    }
    const provider = shared;
    return {
      description: `${context.description}, read from ${reference.raw}`,
      async get(getOptions) {
        try {
          return await provider.get(getOptions);
        } catch (error) {
          if (!ConnectorError.isInstance(error)) throw error;
          // Name the setting that holds the reference, so the operator knows where to look.
          const where = `${context.description} points at ${reference.raw}`;
          throw error.with({
            message: `${where.charAt(0).toUpperCase()}${where.slice(1)}: ${error.message}`,
          });
        }
      },
      invalidate: (credential) => provider.invalidate(credential),
    };
  };
}

const REGISTRATION_KEY = Symbol.for("switchyard.aws-secrets.registration");

interface Registration {
  readonly options: AwsSecretsResolverOptions | undefined;
  readonly resolver: CredentialResolver;
}

/**
 * Lets every connector's credential setting or variable hold `aws-sm://<secret-id>` or
 * `aws-sm://<secret-id>#<json-key>` (through core's `credentialFromSetting` / `fromEnv`). Idempotent: calling
 * it again without options, or with the same options object, keeps the registered resolver and its cached
 * clients and values; calling it with other options replaces it for references resolved from then on.
 */
export function registerAwsSecretsResolver(options?: AwsSecretsResolverOptions): CredentialResolver {
  const holder = globalThis as { [REGISTRATION_KEY]?: Registration };
  const existing = holder[REGISTRATION_KEY];
  if (existing && (options === undefined || options === existing.options)) {
    registerCredentialResolver(AWS_SECRETS_SCHEME, existing.resolver);
    return existing.resolver;
  }
  const resolver = createAwsSecretsResolver(options);
  holder[REGISTRATION_KEY] = { options, resolver };
  registerCredentialResolver(AWS_SECRETS_SCHEME, resolver);
  return resolver;
}
