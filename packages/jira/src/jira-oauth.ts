import type { Credential, CredentialCoordinator, CredentialProvider } from "@switchyard/core";
import {
  ConnectorError,
  credentialFromSetting,
  credentialsMissing,
  forgetSecret,
  httpStatusError,
  parseRetryAfter,
  refreshingCredentials,
  registerSecret,
} from "@switchyard/core";
import { accessibleResourcesSchema, oauthErrorSchema, tokenResponseSchema } from "./jira-api.js";
import { checkCloudId, JIRA_ENV, type JiraOAuthSettings } from "./jira-settings.js";

export interface JiraOAuthCredentialsOptions extends JiraOAuthSettings {
  /** Token endpoint, e.g. https://auth.atlassian.com/oauth/token. */
  readonly tokenUrl: string;
  /** Gateway root, e.g. https://api.atlassian.com (accessible-resources, `/ex/jira/{cloudId}`). */
  readonly gatewayUrl: string;
  /** The configured site: picks the accessible resource when the grant covers several. */
  readonly siteUrl?: string | undefined;
  /** Skips the accessible-resources lookup. */
  readonly cloudId?: string | undefined;
  /** Refresh this long before the access token expires. Default 60 s. */
  readonly refreshAheadMs?: number | undefined;
  /** Time limit of one token-endpoint or accessible-resources request. Default 15 s. */
  readonly timeoutMs?: number | undefined;
  /** Shares refreshes between processes (core's Redis coordinator). */
  readonly coordinator?: CredentialCoordinator | undefined;
  readonly now?: (() => number) | undefined;
}

interface CloudSite {
  readonly id: string;
  readonly siteUrl: string | undefined;
}

export const REAUTHORIZE_HINT = `Re-authorize the Jira OAuth app (complete the 3LO consent again) and set ${JIRA_ENV.oauthRefreshToken} to the new refresh token; retrying will not help.`;

/**
 * Access tokens from Atlassian's OAuth 2.0 (3LO) token endpoint, refreshed single-flight ahead of expiry and
 * on a 401 (core's `refreshingCredentials`). Refresh tokens rotate: the new one is kept in memory at once
 * (the old one is dead after the reuse window) and handed to `onRefreshToken`, which is awaited before the new
 * access token is used. An `invalid_grant` (a reused or expired refresh token revokes the grant) becomes
 * `unauthenticated` with a hint to re-authorize. The cloud id comes from accessible-resources, matched
 * against the configured site, and requests go to `<gateway>/ex/jira/{cloudId}`.
 */
export function jiraOAuthCredentials(options: JiraOAuthCredentialsOptions): CredentialProvider {
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const description = `Jira OAuth (${JIRA_ENV.oauthClientId}, ${JIRA_ENV.oauthClientSecret}, ${JIRA_ENV.oauthRefreshToken})`;
  const secret = credentialFromSetting(options.clientSecret, {
    description: `the ${JIRA_ENV.oauthClientSecret} environment variable (or the "oauth.clientSecret" setting)`,
  });
  const initial = options.refreshToken.trim()
    ? credentialFromSetting(options.refreshToken.trim(), {
        description: `the ${JIRA_ENV.oauthRefreshToken} environment variable (or the "oauth.refreshToken" setting)`,
      })
    : undefined;
  let latestRefreshToken: string | undefined;
  let retiredRefreshToken: string | undefined;
  let previousAccessToken: string | undefined;
  let site: CloudSite | undefined = options.cloudId
    ? { id: checkCloudId(options.cloudId), siteUrl: options.siteUrl }
    : undefined;

  const currentRefreshToken = async (): Promise<string> => {
    const stored = await options.loadRefreshToken?.();
    if (stored?.trim()) {
      registerSecret(stored.trim());
      return stored.trim();
    }
    if (latestRefreshToken) return latestRefreshToken;
    if (!initial) throw credentialsMissing("oauth.refreshToken", JIRA_ENV.oauthRefreshToken);
    return (await initial.get()).value;
  };

  const rotate = async (used: string, fresh: string | undefined) => {
    if (!fresh || fresh === used) {
      latestRefreshToken = used;
      return;
    }
    registerSecret(fresh);
    // The old token is dead once the reuse window passes; forget the one before it, so redaction stays small.
    if (retiredRefreshToken && retiredRefreshToken !== fresh) forgetSecret(retiredRefreshToken);
    retiredRefreshToken = used;
    latestRefreshToken = fresh;
    try {
      await options.onRefreshToken?.(fresh);
    } catch (error) {
      throw new ConnectorError({
        code: "internal",
        message:
          "Jira rotated the OAuth refresh token, but persisting the new one (onRefreshToken) failed; the access token was not used.",
        hint: "Ask the operator to fix refresh-token storage. The new token is kept in memory, so a later call can try again.",
        cause: error,
      });
    }
  };

  const refresh = async (): Promise<Credential> => {
    const refreshToken = await currentRefreshToken();
    const clientSecret = (await secret.get()).value;
    const response = await send(
      options.tokenUrl,
      {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({
          grant_type: "refresh_token",
          client_id: options.clientId,
          client_secret: clientSecret,
          refresh_token: refreshToken,
        }),
      },
      timeoutMs,
      "the Jira OAuth token endpoint",
    );
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) throw tokenEndpointError(response, body, now);
    const parsed = tokenResponseSchema.safeParse(body);
    if (!parsed.success) {
      throw new ConnectorError({
        code: "invalid_response",
        message: "The Jira OAuth token endpoint answered without an access token.",
      });
    }
    const token = parsed.data;
    registerSecret(token.access_token);
    // Persist the rotated refresh token before anything uses the new access token.
    await rotate(refreshToken, token.refresh_token);
    site ??= await resolveSite(token.access_token);
    if (previousAccessToken && previousAccessToken !== token.access_token) forgetSecret(previousAccessToken);
    previousAccessToken = token.access_token;
    return {
      value: token.access_token,
      expiresAt: now() + (token.expires_in ?? 3600) * 1000,
      // Rate limits and circuits follow the site and app, not the hour-long token.
      id: `jira-oauth:${site.id}:${options.clientId}`,
      attributes: {
        kind: "oauth",
        cloudId: site.id,
        apiBaseUrl: `${options.gatewayUrl}/ex/jira/${site.id}`,
        ...(site.siteUrl ? { siteUrl: site.siteUrl } : {}),
        refreshTokenPersisted: options.onRefreshToken ? "true" : "false",
        ...(token.scope ? { scopes: token.scope } : {}),
      },
    };
  };

  const resolveSite = async (accessToken: string): Promise<CloudSite> => {
    const response = await send(
      `${options.gatewayUrl}/oauth/token/accessible-resources`,
      { method: "GET", headers: { authorization: `Bearer ${accessToken}`, accept: "application/json" } },
      timeoutMs,
      "Atlassian's accessible-resources endpoint",
    );
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      throw httpStatusError({
        status: response.status,
        message: "accessible-resources refused the new access token",
        requestId: response.headers.get("x-arequestid") ?? undefined,
      });
    }
    const parsed = accessibleResourcesSchema.safeParse(body);
    if (!parsed.success) {
      throw new ConnectorError({
        code: "invalid_response",
        message:
          "Atlassian's accessible-resources endpoint answered with something other than a list of sites.",
      });
    }
    const resources = [...new Map(parsed.data.map((resource) => [resource.id, resource])).values()];
    const wanted = options.siteUrl ? siteKey(options.siteUrl) : undefined;
    const chosen = wanted
      ? resources.find((resource) => siteKey(resource.url) === wanted)
      : resources.length === 1
        ? resources[0]
        : undefined;
    if (!chosen) {
      const sites = resources.map((resource) => resource.url).join(", ") || "none";
      if (wanted) {
        throw new ConnectorError({
          code: "permission_denied",
          message: `The Jira OAuth grant does not cover ${options.siteUrl}; it covers: ${sites}.`,
          hint: `Authorize the app for ${options.siteUrl}, or set ${JIRA_ENV.baseUrl} to one of the covered sites.`,
          details: { sites: resources.map((resource) => resource.url) },
        });
      }
      throw new ConnectorError({
        code: resources.length === 0 ? "permission_denied" : "credentials_missing",
        message:
          resources.length === 0
            ? "The Jira OAuth grant covers no Jira site."
            : `The Jira OAuth grant covers several sites (${sites}); ${JIRA_ENV.baseUrl} must name one.`,
        hint:
          resources.length === 0
            ? REAUTHORIZE_HINT
            : `Ask the operator to set ${JIRA_ENV.baseUrl} (or ${JIRA_ENV.cloudId}) to pick the site.`,
        details: { sites: resources.map((resource) => resource.url) },
      });
    }
    return { id: checkCloudId(chosen.id), siteUrl: options.siteUrl ?? chosen.url.replace(/\/+$/, "") };
  };

  return refreshingCredentials({
    description,
    refresh: () => refresh(),
    refreshAheadMs: options.refreshAheadMs ?? 60_000,
    ...(options.coordinator ? { coordinator: options.coordinator } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
}

/** `https://Acme.atlassian.net/` and `https://acme.atlassian.net` are the same site. */
function siteKey(url: string): string {
  try {
    return new URL(url).origin.toLowerCase();
  } catch {
    return url.trim().toLowerCase().replace(/\/+$/, "");
  }
}

/**
 * One request to an Atlassian auth endpoint with its own time limit. The caller's deadline is deliberately
 * not used: an exchange cut off after Atlassian rotated the token would lose the new refresh token.
 */
async function send(url: string, init: RequestInit, timeoutMs: number, what: string): Promise<Response> {
  try {
    return await fetch(url, { ...init, redirect: "error", signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const timedOut = (error as { name?: unknown }).name === "TimeoutError";
    throw new ConnectorError({
      code: timedOut ? "timeout" : "network",
      message: timedOut ? `${what} did not answer within ${timeoutMs} ms.` : `Could not reach ${what}.`,
      cause: error,
    });
  }
}

function tokenEndpointError(response: Response, body: unknown, now: () => number): ConnectorError {
  const parsed = oauthErrorSchema.safeParse(body);
  const oauthError = parsed.success ? parsed.data.error : undefined;
  const description = parsed.success ? parsed.data.error_description : undefined;
  const requestId = response.headers.get("x-arequestid") ?? undefined;
  const message = `OAuth token refresh failed${oauthError ? ` (${oauthError}${description ? `: ${description}` : ""})` : ""}`;
  const base = { status: response.status, message, upstreamCode: oauthError, requestId };
  if (response.status === 429) {
    return httpStatusError({
      ...base,
      retryAfterMs: parseRetryAfter(response.headers.get("retry-after"), now()),
    });
  }
  if (response.status >= 500) {
    return httpStatusError({
      ...base,
      retryAfterMs: parseRetryAfter(response.headers.get("retry-after"), now()),
    });
  }
  if (oauthError === "invalid_grant") {
    return httpStatusError({
      ...base,
      code: "unauthenticated",
      hint: `The refresh token was rejected: it was reused after rotation (which revokes the grant), unused for 90 days, or the grant was revoked. ${REAUTHORIZE_HINT}`,
      details: { oauthError },
    });
  }
  return httpStatusError({
    ...base,
    code: "unauthenticated",
    hint:
      oauthError === "invalid_client" || oauthError === "unauthorized_client"
        ? `Atlassian refused the OAuth app credentials; ask the operator to check ${JIRA_ENV.oauthClientId} and ${JIRA_ENV.oauthClientSecret}.`
        : REAUTHORIZE_HINT,
    ...(oauthError ? { details: { oauthError } } : {}),
  });
}
