import type { ConnectorRuntimeOptions, CredentialProvider } from "@switchyard/core";
import { ConnectorError, nonEmptySetting, parseAllowlist, parseUrlSetting } from "@switchyard/core";

/** A GitHub App installation: the connector signs JWTs with the key and trades them for installation tokens. */
export interface GithubAppSettings {
  /** The App's numeric id (or its client id, which GitHub also accepts as the JWT issuer). */
  readonly appId: string;
  /** The App's private key, PEM (PKCS#1 as GitHub issues it, or PKCS#8). */
  readonly privateKey: string;
  readonly installationId: string;
}

export interface GithubSettings extends ConnectorRuntimeOptions {
  /** A personal access token (classic `ghp_` or fine-grained `github_pat_`). */
  readonly token?: string | undefined;
  /** GitHub App installation credentials; used instead of `token` when both are set. */
  readonly app?: GithubAppSettings | undefined;
  /** Any credential provider (a secret store, a vault); takes precedence over `token` and `app`. */
  readonly credentials?: CredentialProvider | undefined;
  /** REST API root. Default https://api.github.com; GitHub Enterprise Server: https://HOST/api/v3. */
  readonly apiUrl?: string | undefined;
  /** Repository allowlist (`owner/*`, `owner/repo`); empty or absent allows every repository. */
  readonly repositories?: readonly string[] | undefined;
  /** `X-GitHub-Api-Version` sent with every request. Default 2022-11-28, the version the tools are written against. */
  readonly apiVersion?: string | undefined;
  /**
   * Wait after a secondary rate limit that carries no retry-after header. GitHub's docs ask for at least one
   * minute; default 60 s.
   */
  readonly secondaryRateLimitWaitMs?: number | undefined;
}

export const DEFAULT_API_URL = "https://api.github.com";
export const DEFAULT_API_VERSION = "2022-11-28";

/** The environment variables the connector reads, for error messages and docs. */
export const GITHUB_ENV = {
  token: "GITHUB_TOKEN",
  appId: "GITHUB_APP_ID",
  appPrivateKey: "GITHUB_APP_PRIVATE_KEY",
  appInstallationId: "GITHUB_APP_INSTALLATION_ID",
  apiUrl: "GITHUB_API_URL",
  repositories: "GITHUB_REPOSITORIES",
} as const;

/**
 * PEM keys pasted into a single-line variable (.env files, CI secrets) usually arrive with literal `\n`
 * sequences instead of newlines.
 */
export function normalizePrivateKey(value: string): string {
  return value.trim().replace(/\\r\\n|\\n/g, "\n");
}

const nonEmpty = nonEmptySetting;

/**
 * Reads settings from environment variables. Runtime options (allowWrites, retry, ...) come from `overrides`,
 * which also win over anything read from the environment. Nothing is validated against GitHub here:
 * a missing credential surfaces as `credentials_missing` when a tool is called, so listing tools works
 * without one.
 */
export function githubSettingsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  overrides: GithubSettings = {},
): GithubSettings {
  const appId = nonEmpty(env[GITHUB_ENV.appId]);
  const privateKey = nonEmpty(env[GITHUB_ENV.appPrivateKey]);
  const installationId = nonEmpty(env[GITHUB_ENV.appInstallationId]);
  const repositories = parseAllowlist(env[GITHUB_ENV.repositories]);
  return {
    token: nonEmpty(env[GITHUB_ENV.token]),
    app:
      appId && privateKey && installationId
        ? { appId, privateKey: normalizePrivateKey(privateKey), installationId }
        : undefined,
    credentials:
      appId || privateKey || installationId
        ? partialAppCredentials(appId, privateKey, installationId)
        : undefined,
    apiUrl: nonEmpty(env[GITHUB_ENV.apiUrl]),
    repositories: repositories.length > 0 ? repositories : undefined,
    // An override left undefined (an unset CLI flag) must not erase what the environment says.
    ...Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined)),
  };
}

/** Half an App configuration is an operator mistake worth naming, not a reason to fall back to the PAT. */
function partialAppCredentials(
  appId: string | undefined,
  privateKey: string | undefined,
  installationId: string | undefined,
): CredentialProvider | undefined {
  const missing = [
    appId ? undefined : GITHUB_ENV.appId,
    privateKey ? undefined : GITHUB_ENV.appPrivateKey,
    installationId ? undefined : GITHUB_ENV.appInstallationId,
  ].filter((name): name is NonNullable<typeof name> => name !== undefined);
  if (missing.length === 0) return undefined;
  return {
    description: "GitHub App environment variables",
    get: async () => {
      throw new ConnectorError({
        code: "credentials_missing",
        message: `GitHub App credentials are incomplete: set ${missing.join(", ")} (or unset the other GITHUB_APP_* variables to use ${GITHUB_ENV.token}).`,
        hint: `Ask the operator to set ${missing.join(", ")}; calling again will not help.`,
        details: { variables: missing },
      });
    },
    invalidate: () => {},
  };
}

/** The API root without a trailing slash; refuses anything but an absolute http(s) URL. */
export function normalizeApiUrl(value: string | undefined): string {
  return parseUrlSetting(value ?? DEFAULT_API_URL, `${GITHUB_ENV.apiUrl} / apiUrl`);
}
