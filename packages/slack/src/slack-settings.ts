import type { ConnectorRuntimeOptions, CredentialProvider } from "@switchyard/core";
import { ConnectorError, nonEmptySetting, parseAllowlist, parseUrlSetting } from "@switchyard/core";
import type { SlackRateLimitOverrides } from "./slack-rate-limits.js";

/** Which token a refresh token belongs to: Slack rotates bot and user tokens separately. */
export type SlackTokenKind = "bot" | "user";

/**
 * Token rotation: the access token lasts 12 hours and is renewed at `oauth.v2.access` with
 * `grant_type=refresh_token`. Slack hands out a new refresh token every time; it is given to
 * `onRefreshToken` before the new access token is used.
 */
export interface SlackRotationSettings {
  /** The current refresh token (`xoxe-1-...`), or an `aws-sm://` reference to it. */
  readonly refreshToken: string;
  readonly clientId: string;
  /** The app's client secret, or an `aws-sm://` reference to it. */
  readonly clientSecret: string;
  /** Which token the refresh token renews. Default: `user` when only a user token is configured, else `bot`. */
  readonly tokenKind?: SlackTokenKind | undefined;
  /**
   * Stores the new refresh token (a secret store, a database row). Called before the new access token is used;
   * when it throws, the call fails with an `internal` error whose `details.reason` is
   * `refresh_token_not_persisted`, and the new token is kept in memory and offered to the hook again at the next
   * refresh. Default: keep it in memory only and warn once that it will be lost at restart.
   */
  readonly onRefreshToken?:
    | ((refreshToken: string, info: SlackRefreshInfo) => Promise<void> | void)
    | undefined;
  /** Refresh this long before the access token expires. Default 30 minutes. */
  readonly refreshAheadMs?: number | undefined;
}

/** What `onRefreshToken` learns besides the token itself (nothing secret). */
export interface SlackRefreshInfo {
  readonly tokenKind: SlackTokenKind;
  /** Epoch ms at which the access token issued with this refresh token expires. */
  readonly accessTokenExpiresAt: number;
  readonly teamId?: string | undefined;
}

/**
 * `standard`: Slack's published tiers (Marketplace apps and internal, customer-built apps).
 * `non_marketplace`: commercially distributed apps outside the Marketplace, which Slack limits to one
 * `conversations.history` / `conversations.replies` request per minute and 15 items per request (new installs
 * since 29 May 2025, every install since 3 March 2026).
 */
export type SlackHistoryProfile = "standard" | "non_marketplace";

export interface SlackSettings extends ConnectorRuntimeOptions {
  /** Bot token (`xoxb-...`), or an `aws-sm://` reference. Used for every tool but search when set. */
  readonly botToken?: string | undefined;
  /** User token (`xoxp-...`), or an `aws-sm://` reference. Needed by slack_search_messages (search:read). */
  readonly userToken?: string | undefined;
  /** Token rotation for one of the two tokens; it then replaces that token. */
  readonly rotation?: SlackRotationSettings | undefined;
  /** Any credential provider for the main token (a vault); takes precedence over `botToken`/`userToken`. */
  readonly credentials?: CredentialProvider | undefined;
  /** Web API root. Default https://slack.com/api/. */
  readonly apiUrl?: string | undefined;
  /**
   * Channels the write tools may post and react in: names (`ops`, `#eng-*`) or ids (`C0123ABCD`). Empty or
   * absent: no channel is listed, so every write is refused (or needs an approval under `when-unlisted`).
   */
  readonly channels?: readonly string[] | undefined;
  /** Lets posts contain `@channel`, `@here` and `@everyone` (also as `<!channel>`). Default false. */
  readonly allowBroadcastMentions?: boolean | undefined;
  /** Slack's link and media previews on posted messages. Default false for both. */
  readonly unfurlLinks?: boolean | undefined;
  readonly unfurlMedia?: boolean | undefined;
  /** Limits for conversations.history/replies; default `standard`. */
  readonly historyProfile?: SlackHistoryProfile | undefined;
  /** Per-tier and per-method rate-limit overrides (tests, Enterprise Grid agreements). */
  readonly rateLimits?: SlackRateLimitOverrides | undefined;
  /** How long resolved user names are kept. Default 15 minutes. */
  readonly userCacheTtlMs?: number | undefined;
  /** users.info lookups one call may make to resolve names; the rest stay ids. Default 10. */
  readonly userLookupsPerCall?: number | undefined;
  /** Wait assumed after a 429 or `ratelimited` without a usable Retry-After. Default 30 s. */
  readonly defaultRetryAfterMs?: number | undefined;
  /** Where operator warnings go (refresh token kept in memory only, persistence failures). Default console.warn. */
  readonly warn?: ((message: string) => void) | undefined;
}

export const DEFAULT_API_URL = "https://slack.com/api/";

/** The environment variables the connector reads, for error messages and docs. */
export const SLACK_ENV = {
  botToken: "SLACK_BOT_TOKEN",
  userToken: "SLACK_USER_TOKEN",
  apiUrl: "SLACK_API_URL",
  refreshToken: "SLACK_REFRESH_TOKEN",
  clientId: "SLACK_CLIENT_ID",
  clientSecret: "SLACK_CLIENT_SECRET",
  channels: "SLACK_CHANNELS",
  historyProfile: "SLACK_HISTORY_PROFILE",
  allowBroadcastMentions: "SLACK_ALLOW_BROADCAST_MENTIONS",
} as const;

const nonEmpty = nonEmptySetting;

/** Rotation needs all three variables; a partial set is named at call time instead of silently ignored. */
export interface PartialRotation {
  readonly missing: readonly string[];
}

/**
 * Reads settings from environment variables. Runtime options (allowWrites, retry, ...) come from `overrides`,
 * which also win over anything read from the environment. Nothing is checked against Slack here: a missing
 * credential surfaces as `credentials_missing` when a tool is called, so listing tools works without one.
 */
export function slackSettingsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  overrides: SlackSettings = {},
): SlackSettings {
  const refreshToken = nonEmpty(env[SLACK_ENV.refreshToken]);
  const clientId = nonEmpty(env[SLACK_ENV.clientId]);
  const clientSecret = nonEmpty(env[SLACK_ENV.clientSecret]);
  const channels = parseAllowlist(env[SLACK_ENV.channels]);
  const profile = nonEmpty(env[SLACK_ENV.historyProfile]);
  const broadcast = nonEmpty(env[SLACK_ENV.allowBroadcastMentions]);
  const botToken = nonEmpty(env[SLACK_ENV.botToken]);
  const userToken = nonEmpty(env[SLACK_ENV.userToken]);
  const partial = [refreshToken, clientId, clientSecret].some((value) => value !== undefined);
  return {
    botToken,
    userToken,
    rotation:
      refreshToken && clientId && clientSecret
        ? { refreshToken, clientId, clientSecret, tokenKind: userToken && !botToken ? "user" : "bot" }
        : undefined,
    ...(partial && !(refreshToken && clientId && clientSecret)
      ? {
          credentials: partialRotationCredentials([
            ...(refreshToken ? [] : [SLACK_ENV.refreshToken]),
            ...(clientId ? [] : [SLACK_ENV.clientId]),
            ...(clientSecret ? [] : [SLACK_ENV.clientSecret]),
          ]),
        }
      : {}),
    apiUrl: nonEmpty(env[SLACK_ENV.apiUrl]),
    channels: channels.length > 0 ? channels : undefined,
    historyProfile: profile === undefined ? undefined : parseHistoryProfile(profile),
    allowBroadcastMentions: broadcast === undefined ? undefined : parseBoolean(broadcast),
    // An override left undefined (an unset CLI flag) must not erase what the environment says.
    ...Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined)),
  };
}

/** Half a rotation configuration is an operator mistake worth naming, not a reason to use the static token. */
function partialRotationCredentials(missing: readonly string[]): CredentialProvider {
  return {
    description: "Slack token rotation environment variables",
    get: async () => {
      throw new ConnectorError({
        code: "credentials_missing",
        message: `Slack token rotation is half configured: set ${missing.join(", ")} (or unset ${SLACK_ENV.refreshToken}, ${SLACK_ENV.clientId} and ${SLACK_ENV.clientSecret} to use a token that does not rotate).`,
        hint: `Ask the operator to set ${missing.join(", ")}; calling again will not help.`,
        details: { variables: missing },
      });
    },
    invalidate: () => {},
  };
}

export function parseHistoryProfile(value: string): SlackHistoryProfile {
  const normalized = value.trim().toLowerCase().replace(/-/g, "_");
  if (normalized === "standard" || normalized === "non_marketplace") return normalized;
  throw new TypeError(
    `${SLACK_ENV.historyProfile} / historyProfile must be "standard" or "non-marketplace", got "${value}".`,
  );
}

function parseBoolean(value: string): boolean {
  const normalized = value.trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(normalized)) return true;
  if (["0", "false", "no", "off"].includes(normalized)) return false;
  throw new TypeError(`${SLACK_ENV.allowBroadcastMentions} must be true or false, got "${value}".`);
}

/** The API root with exactly one trailing slash; refuses anything but an absolute http(s) URL. */
export function normalizeApiUrl(value: string | undefined): string {
  // The WebClient joins method names onto the root, so it keeps one trailing slash.
  return `${parseUrlSetting(value ?? DEFAULT_API_URL, `${SLACK_ENV.apiUrl} / apiUrl`)}/`;
}
