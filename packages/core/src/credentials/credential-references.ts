import { ConnectorError } from "../errors/connector-error.js";
import { registerSecret } from "../redaction/redactor.js";
import type { CredentialProvider } from "./credential.js";

/**
 * A credential setting may hold a reference to a secret store instead of the secret itself:
 * `aws-sm://prod/github#token` reads the `token` key of the JSON secret `prod/github` from AWS Secrets
 * Manager. Connectors depend on core only, so stores plug in here: a package registers a resolver for its
 * scheme (`@switchyard/aws-secrets` registers `aws-sm`), and every connector accepts its references.
 */
export interface CredentialReference {
  /** `aws-sm`. */
  readonly scheme: string;
  /** Everything between `scheme://` and `#`: the secret's id or ARN. */
  readonly secretId: string;
  /** The part after `#`: a key inside a JSON secret. */
  readonly key?: string | undefined;
  /** The reference as written (not secret). */
  readonly raw: string;
}

export interface CredentialResolverContext {
  /** Names the setting and variable, for error messages ("GITHUB_TOKEN"). */
  readonly description: string;
}

export type CredentialResolver = (
  reference: CredentialReference,
  context: CredentialResolverContext,
) => CredentialProvider;

const RESOLVERS_KEY = Symbol.for("switchyard.credentials.resolvers");
const REFERENCE_PATTERN = /^([a-z][a-z0-9+.-]*):\/\/([^#\s]+)(?:#([^\s]+))?$/;

function resolvers(): Map<string, CredentialResolver> {
  const holder = globalThis as { [RESOLVERS_KEY]?: Map<string, CredentialResolver> };
  holder[RESOLVERS_KEY] ??= new Map();
  return holder[RESOLVERS_KEY];
}

/** Registers a secret store for `scheme://` references (process-wide, shared by duplicated copies of core). */
export function registerCredentialResolver(scheme: string, resolver: CredentialResolver): void {
  resolvers().set(scheme, resolver);
}

/** Only schemes a resolver is registered for, or the well-known `aws-sm`, count as references. */
export function parseCredentialReference(value: string): CredentialReference | undefined {
  const match = REFERENCE_PATTERN.exec(value.trim());
  if (!match) return undefined;
  const scheme = match[1] as string;
  if (scheme !== "aws-sm" && !resolvers().has(scheme)) return undefined;
  return { scheme, secretId: decodeURIComponent(match[2] as string), key: match[3], raw: value.trim() };
}

/**
 * The provider for a credential setting's value: the value itself, or the secret a reference points at. A
 * reference whose store is not loaded fails at call time, naming the package to load.
 */
export function credentialFromSetting(value: string, context: CredentialResolverContext): CredentialProvider {
  const reference = parseCredentialReference(value);
  if (!reference) {
    registerSecret(value);
    const credential = { value };
    return { description: context.description, get: async () => credential, invalidate: () => {} };
  }
  const resolver = resolvers().get(reference.scheme);
  if (resolver) return resolver(reference, context);
  return {
    description: context.description,
    get: async () => {
      throw new ConnectorError({
        code: "credentials_missing",
        message: `${context.description} holds a ${reference.scheme}:// reference, but no resolver for it is loaded (for aws-sm: @switchyard/aws-secrets).`,
        hint: "Ask the operator to load @switchyard/aws-secrets (registerAwsSecretsResolver()) or to set the value directly.",
        details: { scheme: reference.scheme },
      });
    },
    invalidate: () => {},
  };
}
