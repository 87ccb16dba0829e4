/**
 * The seeded credentials. Static tokens never expire (Slack's tokens without rotation); tokens issued by
 * `oauth.v2.access` with `grant_type=refresh_token` carry the `xoxe.` prefix and expire.
 */

/** The app's bot token (acts as `@switchyard`, U0SBXBOT1). */
export const SLACK_SANDBOX_BOT_TOKEN = "xoxb-1000000001-2000000000001-SandboxBotToken0000000000";
/** The installing user's token (acts as Sam Sandbox, U0SBX0001); the one that may call search.messages. */
export const SLACK_SANDBOX_USER_TOKEN =
  "xoxp-1000000001-1000000000001-3000000000001-5a4d0b0c5a4d0b0c5a4d0b0c5a4d0b0c";
/** A bot token with `channels:read` only, to meet `missing_scope`. */
export const SLACK_SANDBOX_LIMITED_BOT_TOKEN = "xoxb-1000000001-2000000000002-LimitedScopesToken00000";
/** A bot token that has been revoked: every call answers `token_revoked`. */
export const SLACK_SANDBOX_REVOKED_BOT_TOKEN = "xoxb-1000000001-2000000000003-RevokedToken0000000000";

/** Token rotation: the app's client id and secret, and the refresh tokens of the bot and the user token. */
export const SLACK_SANDBOX_CLIENT_ID = "1000000001.5000000000001";
export const SLACK_SANDBOX_CLIENT_SECRET = "5a4d0b0c5a4d0b0c5a4d0b0c5a4d0b0c";
export const SLACK_SANDBOX_REFRESH_TOKEN = "xoxe-1-My0xLTEwMDAwMDAwMDEtYm90LXJlZnJlc2gtMDAwMQ";
export const SLACK_SANDBOX_USER_REFRESH_TOKEN = "xoxe-1-My0xLTEwMDAwMDAwMDEtdXNlci1yZWZyZXNoLTAwMDE";

/** Lifetime of rotated access tokens: Slack's 12 hours. */
export const SLACK_ROTATED_TOKEN_TTL_SECONDS = 43_200;

export const SLACK_BOT_SCOPES = [
  "channels:read",
  "groups:read",
  "channels:history",
  "groups:history",
  "chat:write",
  "reactions:read",
  "reactions:write",
  "users:read",
  "users:read.email",
] as const;

export const SLACK_USER_SCOPES = [
  "channels:read",
  "groups:read",
  "channels:history",
  "groups:history",
  "search:read",
  "chat:write",
  "reactions:read",
  "reactions:write",
  "users:read",
  "users:read.email",
] as const;

export const SLACK_LIMITED_SCOPES = ["channels:read"] as const;
