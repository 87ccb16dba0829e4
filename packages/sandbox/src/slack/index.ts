// The fake Slack Web API: everything a test or a connector needs from it.

export type { SlackSandbox, SlackSandboxOptions } from "./slack-handlers.js";
export { createSlackSandboxHandlers, SLACK_METHODS } from "./slack-handlers.js";
export { SlackApiError } from "./slack-http.js";
export type { SlackMethod } from "./slack-method.js";
export { SlackContext } from "./slack-method.js";
export type {
  SlackChannelRecord,
  SlackMessageRecord,
  SlackPrincipal,
  SlackTokenKind,
  SlackTokenRecord,
  SlackUserRecord,
} from "./slack-model.js";
export type {
  SlackAppProfile,
  SlackRateClass,
  SlackRateLimitSettings,
  SlackTier,
} from "./slack-rate-limit.js";
export { NON_MARKETPLACE_HISTORY_LIMIT, SlackRateLimits } from "./slack-rate-limit.js";
export {
  SLACK_APP_ID,
  SLACK_BOT_ID,
  SLACK_BOT_USER_ID,
  SLACK_CHANNEL_COUNT,
  SLACK_GENERAL_CHANNEL_ID,
  SLACK_GENERAL_MESSAGE_COUNT,
  SLACK_INSTALLER_USER_ID,
  SLACK_LONG_THREAD_INDEX,
  SLACK_NO_BOTS_CHANNEL_ID,
  SLACK_SEED_EPOCH_SECONDS,
  SLACK_TEAM_DOMAIN,
  SLACK_TEAM_ID,
  SLACK_TEAM_NAME,
  SLACK_TEAM_URL,
} from "./slack-seed.js";
export type {
  NewMessage,
  SlackRotationCredentials,
  SlackStateOptions,
  SlackTokenSpec,
} from "./slack-state.js";
export { SlackSandboxState } from "./slack-state.js";
export {
  SLACK_BOT_SCOPES,
  SLACK_LIMITED_SCOPES,
  SLACK_ROTATED_TOKEN_TTL_SECONDS,
  SLACK_SANDBOX_BOT_TOKEN,
  SLACK_SANDBOX_CLIENT_ID,
  SLACK_SANDBOX_CLIENT_SECRET,
  SLACK_SANDBOX_LIMITED_BOT_TOKEN,
  SLACK_SANDBOX_REFRESH_TOKEN,
  SLACK_SANDBOX_REVOKED_BOT_TOKEN,
  SLACK_SANDBOX_USER_REFRESH_TOKEN,
  SLACK_SANDBOX_USER_TOKEN,
  SLACK_USER_SCOPES,
} from "./slack-tokens.js";
export { formatTs, parseTs } from "./slack-ts.js";
export type { SlackUpstreamOptions } from "./slack-upstream.js";
export { slackEnv, slackUpstream } from "./slack-upstream.js";
