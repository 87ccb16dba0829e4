import type { Credential, CredentialProvider } from "@switchyard/core";
import {
  ConnectorError,
  credentialFromSetting,
  refreshingCredentials,
  registerSecret,
} from "@switchyard/core";
import { oauthRefreshSchema } from "./slack-api.js";
import { createWebClient } from "./slack-client.js";
import { classifySlackError } from "./slack-error.js";
import {
  SLACK_ENV,
  type SlackRefreshInfo,
  type SlackRotationSettings,
  type SlackTokenKind,
} from "./slack-settings.js";

export interface SlackRotatingCredentialsOptions extends SlackRotationSettings {
  readonly apiUrl: string;
  readonly tokenKind: SlackTokenKind;
  readonly now?: (() => number) | undefined;
  readonly warn?: ((message: string) => void) | undefined;
}

/** Slack's rotated access tokens live 12 hours (`expires_in: 43200`). */
const DEFAULT_LIFETIME_MS = 12 * 60 * 60 * 1000;
const DEFAULT_REFRESH_AHEAD_MS = 30 * 60 * 1000;
/** The exchange runs on its own clock: a caller's cancellation must not cut off the answer that holds the new refresh token. */
const EXCHANGE_TIMEOUT_MS = 30_000;

/** `details.reason` of the error a call fails with when the new refresh token could not be stored. */
export const REFRESH_TOKEN_NOT_PERSISTED = "refresh_token_not_persisted";

/** True for the error raised when `onRefreshToken` failed (the new refresh token lives only in memory). */
export function isRefreshTokenPersistenceError(error: unknown): error is ConnectorError {
  return ConnectorError.isInstance(error) && error.details?.reason === REFRESH_TOKEN_NOT_PERSISTED;
}

/**
 * Rotating Slack tokens. Core's refreshingCredentials renews the access token ahead of its 12-hour expiry and
 * runs one exchange however many calls need it; the pipeline invalidates it and gets a new one on
 * `token_expired`. Each exchange at `oauth.v2.access` replaces the refresh token: the new one is kept in memory
 * at once (the configured one may no longer work) and handed to `onRefreshToken` before the new access token
 * is returned to any caller. When the hook fails, no call uses the new access token: the refresh fails with
 * `refresh_token_not_persisted`, and the next refresh offers the same pending token to the hook again instead
 * of exchanging once more.
 */
export function slackRotatingCredentials(options: SlackRotatingCredentialsOptions): CredentialProvider {
  const now = options.now ?? Date.now;
  const warn = options.warn ?? ((message: string) => console.warn(message));
  const refreshAheadMs = options.refreshAheadMs ?? DEFAULT_REFRESH_AHEAD_MS;
  const configuredRefreshToken = credentialFromSetting(options.refreshToken, {
    description: `the ${SLACK_ENV.refreshToken} environment variable (or the "rotation.refreshToken" setting)`,
  });
  const clientSecret = credentialFromSetting(options.clientSecret, {
    description: `the ${SLACK_ENV.clientSecret} environment variable (or the "rotation.clientSecret" setting)`,
  });
  const id = `slack-rotation:${options.clientId}:${options.tokenKind}`;
  /** The newest refresh token Slack issued in this process; it replaces the configured one. */
  let latestRefreshToken: string | undefined;
  /** Issued, not yet stored: offered to the hook again before any new exchange. */
  let pending: { credential: Credential; refreshToken: string; info: SlackRefreshInfo } | undefined;
  let warnedInMemory = false;

  const persist =
    options.onRefreshToken ??
    (() => {
      if (warnedInMemory) return;
      warnedInMemory = true;
      warn(
        `[switchyard/slack] Slack rotated the ${options.tokenKind} token's refresh token. It is kept in memory only (no rotation.onRefreshToken hook), so it is lost when this process restarts, and the configured ${SLACK_ENV.refreshToken} may no longer be accepted. Set rotation.onRefreshToken to store it.`,
      );
    });

  const persistOrFail = async (entry: NonNullable<typeof pending>): Promise<void> => {
    try {
      await persist(entry.refreshToken, entry.info);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      warn(
        `[switchyard/slack] Storing the new Slack refresh token failed (${reason}). The token is kept in memory and offered to rotation.onRefreshToken again at the next refresh; until it is stored, a restart loses it.`,
      );
      throw new ConnectorError({
        code: "internal",
        fault: "connector",
        message: `Slack issued a new refresh token, but rotation.onRefreshToken failed to store it: ${reason}`,
        hint: "The new token was not used. Ask the operator to fix the refresh-token store; calls resume once it is stored.",
        retryable: false,
        notApplied: true,
        details: { reason: REFRESH_TOKEN_NOT_PERSISTED, tokenKind: options.tokenKind },
        cause: error,
      });
    }
  };

  const exchange = async (): Promise<NonNullable<typeof pending>> => {
    const refreshToken = latestRefreshToken ?? (await configuredRefreshToken.get()).value;
    const secret = (await clientSecret.get()).value;
    registerSecret(refreshToken);
    registerSecret(secret);
    const facts: { status?: number; requestId?: string; retryAfter?: string } = {};
    const web = createWebClient({
      apiUrl: options.apiUrl,
      token: undefined,
      signal: AbortSignal.timeout(EXCHANGE_TIMEOUT_MS),
      facts,
    });
    let answer: ReturnType<typeof oauthRefreshSchema.parse>;
    try {
      answer = oauthRefreshSchema.parse(
        await web.apiCall("oauth.v2.access", {
          client_id: options.clientId,
          client_secret: secret,
          grant_type: "refresh_token",
          refresh_token: refreshToken,
        }),
      );
    } catch (error) {
      throw exchangeError(error, { method: "oauth.v2.access", ...facts });
    }
    const accessToken = answer.access_token ?? answer.authed_user?.access_token;
    const newRefreshToken = answer.refresh_token ?? answer.authed_user?.refresh_token;
    const expiresIn = answer.expires_in ?? answer.authed_user?.expires_in;
    if (newRefreshToken) {
      registerSecret(newRefreshToken);
      // In memory before anything else can fail: this process never loses the newest refresh token.
      latestRefreshToken = newRefreshToken;
    }
    if (!accessToken || !newRefreshToken) {
      throw new ConnectorError({
        code: "invalid_response",
        message:
          "oauth.v2.access answered without an access_token and refresh_token; is token rotation enabled for this Slack app?",
        upstream: { status: facts.status, requestId: facts.requestId },
      });
    }
    registerSecret(accessToken);
    const expiresAt =
      now() + (expiresIn !== undefined && expiresIn > 0 ? expiresIn * 1000 : DEFAULT_LIFETIME_MS);
    return {
      credential: { value: accessToken, id, expiresAt, attributes: { kind: options.tokenKind } },
      refreshToken: newRefreshToken,
      info: {
        tokenKind: options.tokenKind,
        accessTokenExpiresAt: expiresAt,
        teamId: answer.team?.id ?? undefined,
      },
    };
  };

  const refresh = async (): Promise<Credential> => {
    // A token Slack issued but the hook did not store is stored first; it is exchanged only once expired.
    if (pending && (pending.credential.expiresAt ?? 0) - refreshAheadMs > now()) {
      await persistOrFail(pending);
      const { credential } = pending;
      pending = undefined;
      return credential;
    }
    const issued = await exchange();
    pending = issued;
    await persistOrFail(issued);
    pending = undefined;
    return issued.credential;
  };

  return refreshingCredentials({
    description: `Slack token rotation for the ${options.tokenKind} token (${SLACK_ENV.refreshToken}, ${SLACK_ENV.clientId}, ${SLACK_ENV.clientSecret})`,
    refresh,
    refreshAheadMs,
    now,
  });
}

/** Exchange failures are configuration problems; say which settings to check. */
function exchangeError(
  error: unknown,
  facts: { method: string; status?: number; requestId?: string; retryAfter?: string },
): unknown {
  const mapped = classifySlackError(error, facts);
  if (!mapped) return error;
  if (
    mapped.code === "unauthenticated" ||
    mapped.code === "invalid_input" ||
    mapped.code === "permission_denied"
  ) {
    return mapped.with({
      code: "unauthenticated",
      retryable: false,
      message: `Refreshing the Slack token at oauth.v2.access failed: ${mapped.message}`,
      hint: `Check ${SLACK_ENV.refreshToken}, ${SLACK_ENV.clientId} and ${SLACK_ENV.clientSecret} (a refresh token from another app, a revoked install, or a wrong secret); retrying will not help.`,
    });
  }
  return mapped;
}
