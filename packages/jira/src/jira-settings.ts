import type { ConnectorRuntimeOptions, CredentialProvider } from "@switchyard/core";
import { ConnectorError, nonEmptySetting, parseAllowlist, parseUrlSetting } from "@switchyard/core";
import { fileRefreshTokenStore } from "./jira-token-store.js";

/**
 * OAuth 2.0 (3LO) with rotating refresh tokens. Every refresh returns a new refresh token and retires the old
 * one; replaying a retired token after Atlassian's reuse window revokes the whole grant. So the new token is
 * handed to `onRefreshToken` and persisted before the access token that came with it is used.
 */
export interface JiraOAuthSettings {
  readonly clientId: string;
  /** May be a secret-store reference (`aws-sm://...`). */
  readonly clientSecret: string;
  /** The refresh token to start from; may be a secret-store reference. */
  readonly refreshToken: string;
  /**
   * Persists a rotated refresh token. Awaited before the new access token is used; if it throws, the call
   * fails and the next refresh tries again with the new token (kept in memory meanwhile).
   */
  readonly onRefreshToken?: ((refreshToken: string) => void | Promise<void>) | undefined;
  /**
   * Reads the newest persisted refresh token before each refresh (another process may have rotated it).
   * When it returns undefined, the token this process last saw is used.
   */
  readonly loadRefreshToken?: (() => Promise<string | undefined>) | undefined;
}

export interface JiraSettings extends ConnectorRuntimeOptions {
  /** The site, `https://<site>.atlassian.net`. Required for API tokens; with OAuth it picks the site. */
  readonly baseUrl?: string | undefined;
  /** The Atlassian account email an API token belongs to. */
  readonly email?: string | undefined;
  /** An Atlassian API token (Basic auth with `email`); may be a secret-store reference. */
  readonly apiToken?: string | undefined;
  /** OAuth 2.0 (3LO) app credentials; used instead of `apiToken` when both are set. */
  readonly oauth?: JiraOAuthSettings | undefined;
  /**
   * Any credential provider; takes precedence over `oauth` and `apiToken`. A credential with
   * `attributes.email` is sent as Basic auth (its value is the API token), any other as a Bearer token to
   * `attributes.apiBaseUrl`, else to the gateway for `cloudId`, else to `baseUrl`.
   */
  readonly credentials?: CredentialProvider | undefined;
  /**
   * The site's cloud id. With OAuth it skips the accessible-resources lookup; with an API token it sends
   * requests through the API gateway, as scoped API tokens require.
   */
  readonly cloudId?: string | undefined;
  /** OAuth token endpoint. Default https://auth.atlassian.com/oauth/token. */
  readonly oauthTokenUrl?: string | undefined;
  /** API gateway root (accessible-resources and `/ex/jira/{cloudId}`). Default https://api.atlassian.com. */
  readonly apiGatewayUrl?: string | undefined;
  /** Project allowlist (project keys). Empty or absent allows every project the credential can see. */
  readonly projects?: readonly string[] | undefined;
  /** Longest description returned, in characters, before it is cut. Default 6,000. */
  readonly maxDescriptionChars?: number | undefined;
  /** Longest comment returned, in characters. Default 2,000. */
  readonly maxCommentChars?: number | undefined;
}

export const DEFAULT_OAUTH_TOKEN_URL = "https://auth.atlassian.com/oauth/token";
export const DEFAULT_API_GATEWAY_URL = "https://api.atlassian.com";

/** The environment variables the connector reads, for error messages and docs. */
export const JIRA_ENV = {
  baseUrl: "JIRA_BASE_URL",
  email: "JIRA_EMAIL",
  apiToken: "JIRA_API_TOKEN",
  oauthClientId: "JIRA_OAUTH_CLIENT_ID",
  oauthClientSecret: "JIRA_OAUTH_CLIENT_SECRET",
  oauthRefreshToken: "JIRA_OAUTH_REFRESH_TOKEN",
  oauthRefreshTokenFile: "JIRA_OAUTH_REFRESH_TOKEN_FILE",
  oauthTokenUrl: "JIRA_OAUTH_TOKEN_URL",
  apiGatewayUrl: "JIRA_API_GATEWAY_URL",
  cloudId: "JIRA_CLOUD_ID",
  projects: "JIRA_PROJECTS",
} as const;

const nonEmpty = nonEmptySetting;

/**
 * Reads settings from environment variables. Runtime options (allowWrites, retry, ...) come from `overrides`,
 * which also win over anything read from the environment. Nothing is checked against Jira here: a missing
 * credential surfaces as `credentials_missing` when a tool is called, so listing tools works without one.
 *
 * `JIRA_OAUTH_REFRESH_TOKEN_FILE` names a file that persists rotated refresh tokens (read before each
 * refresh, written atomically with mode 0600 after it); without it, and without an `oauth.onRefreshToken`
 * override, rotated tokens live only in memory and a restart goes back to `JIRA_OAUTH_REFRESH_TOKEN`.
 */
export function jiraSettingsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  overrides: JiraSettings = {},
): JiraSettings {
  const clientId = nonEmpty(env[JIRA_ENV.oauthClientId]);
  const clientSecret = nonEmpty(env[JIRA_ENV.oauthClientSecret]);
  const refreshToken = nonEmpty(env[JIRA_ENV.oauthRefreshToken]);
  const tokenFile = nonEmpty(env[JIRA_ENV.oauthRefreshTokenFile]);
  const store = tokenFile ? fileRefreshTokenStore(tokenFile) : undefined;
  const projects = parseAllowlist(env[JIRA_ENV.projects]);
  const anyOAuth = Boolean(clientId || clientSecret || refreshToken);
  return {
    baseUrl: nonEmpty(env[JIRA_ENV.baseUrl]),
    email: nonEmpty(env[JIRA_ENV.email]),
    apiToken: nonEmpty(env[JIRA_ENV.apiToken]),
    oauth:
      clientId && clientSecret && (refreshToken || store)
        ? {
            clientId,
            clientSecret,
            refreshToken: refreshToken ?? "",
            ...(store ? { onRefreshToken: store.save, loadRefreshToken: store.load } : {}),
          }
        : undefined,
    credentials:
      anyOAuth && !(clientId && clientSecret && (refreshToken || store))
        ? partialOAuthCredentials(clientId, clientSecret, refreshToken || tokenFile)
        : undefined,
    cloudId: nonEmpty(env[JIRA_ENV.cloudId]),
    oauthTokenUrl: nonEmpty(env[JIRA_ENV.oauthTokenUrl]),
    apiGatewayUrl: nonEmpty(env[JIRA_ENV.apiGatewayUrl]),
    projects: projects.length > 0 ? projects : undefined,
    // An override left undefined (an unset CLI flag) must not erase what the environment says.
    ...Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined)),
  };
}

/** Half an OAuth configuration is an operator mistake worth naming, not a reason to fall back to the API token. */
function partialOAuthCredentials(
  clientId: string | undefined,
  clientSecret: string | undefined,
  refreshToken: string | undefined,
): CredentialProvider {
  const missing = [
    clientId ? undefined : JIRA_ENV.oauthClientId,
    clientSecret ? undefined : JIRA_ENV.oauthClientSecret,
    refreshToken ? undefined : JIRA_ENV.oauthRefreshToken,
  ].filter((name): name is NonNullable<typeof name> => name !== undefined);
  return {
    description: "Jira OAuth environment variables",
    get: async () => {
      throw new ConnectorError({
        code: "credentials_missing",
        message: `Jira OAuth credentials are incomplete: set ${missing.join(", ")} (or unset the other JIRA_OAUTH_* variables to use ${JIRA_ENV.apiToken}).`,
        hint: `Ask the operator to set ${missing.join(", ")}; calling again will not help.`,
        details: { variables: missing },
      });
    },
    invalidate: () => {},
  };
}

/**
 * A URL setting without a trailing slash; refuses anything but an absolute http(s) URL without credentials,
 * query or fragment. `keepPath` allows a path (token endpoints); site and gateway roots may have one too
 * (a sandbox or proxy prefix).
 */
export function normalizeUrl(value: string, name: string): string {
  return parseUrlSetting(value, name);
}

/** Cloud ids are UUIDs; anything else would end up in a URL path. */
export function checkCloudId(value: string): string {
  const trimmed = value.trim();
  if (!/^[A-Za-z0-9-]{1,64}$/.test(trimmed)) {
    throw new TypeError(`${JIRA_ENV.cloudId} / cloudId "${trimmed}" is not a cloud id (a UUID).`);
  }
  return trimmed;
}
