import { ConnectorError } from "../errors/connector-error.js";
import { registerSecret } from "../redaction/redactor.js";
import type { Credential, CredentialProvider } from "./credential.js";
import { credentialFromSetting, parseCredentialReference } from "./credential-references.js";

/** A fixed credential given in code. */
export function fromValue(
  value: string,
  options: {
    readonly attributes?: Record<string, string>;
    readonly id?: string;
    readonly description?: string;
  } = {},
): CredentialProvider {
  registerSecret(value);
  const credential: Credential = {
    value,
    ...(options.attributes ? { attributes: options.attributes } : {}),
    ...(options.id ? { id: options.id } : {}),
  };
  return {
    description: options.description ?? "a credential given in code",
    get: async () => credential,
    invalidate: () => {},
  };
}

export interface FromEnvOptions {
  /** The environment variable, e.g. `GITHUB_TOKEN`. */
  readonly variable: string;
  /** The connector setting that could hold it instead, e.g. `github.token`. */
  readonly setting: string;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * The error for a connector with no credential. `variable` may list alternatives ("GITHUB_TOKEN", or the
 * three App variables): the message names every one, so the operator knows every way to fix it.
 */
export function credentialsMissing(setting: string, variable: string | readonly string[]): ConnectorError {
  const variables = typeof variable === "string" ? [variable] : [...variable];
  const named = variables.length === 1 ? `the ${variables[0]} environment variable` : variables.join(", or ");
  return new ConnectorError({
    code: "credentials_missing",
    message: `No credential configured: set ${named}, or the "${setting}" setting.`,
    hint: `Ask the operator to set ${variables.join(" or ")}; calling again will not help.`,
    details: { setting, variables },
  });
}

/**
 * Reads a credential from an environment variable on every `get`, so a value updated in the environment
 * (or by a secrets sidecar) is picked up. A missing value names both the variable and the setting.
 */
export function fromEnv(options: FromEnvOptions): CredentialProvider {
  const env = options.env ?? process.env;
  const description = `the ${options.variable} environment variable (or the "${options.setting}" setting)`;
  // A reference (aws-sm://...) is resolved by its store's provider, kept while the variable does not change.
  let resolved: { raw: string; provider: CredentialProvider } | undefined;
  const current = () => {
    const value = env[options.variable]?.trim();
    if (!value) throw credentialsMissing(options.setting, options.variable);
    if (!parseCredentialReference(value)) return undefined;
    if (resolved?.raw !== value)
      resolved = { raw: value, provider: credentialFromSetting(value, { description }) };
    return resolved.provider;
  };
  return {
    description,
    async get(getOptions) {
      const provider = current();
      if (provider) return provider.get(getOptions);
      const value = env[options.variable]?.trim() as string;
      registerSecret(value);
      return { value };
    },
    invalidate(credential) {
      resolved?.provider.invalidate(credential);
    },
  };
}
