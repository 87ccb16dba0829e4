export type { SlackChannelAllowlist } from "./slack-allowlist.js";
export { assertNoBroadcastMentions, createSlackAllowlist, findBroadcastMentions } from "./slack-allowlist.js";
/** The connector's minimal wire schemas, for drift checks of recorded upstream answers (contract-tests). */
export * as wireSchemas from "./slack-api.js";
export type { SlackCredentialSources } from "./slack-auth.js";
export { missingSlackCredentials, slackCredentials, tokenKindOf } from "./slack-auth.js";
export { SlackChannelDirectory } from "./slack-channels.js";
export type {
  SlackClient,
  SlackContext,
  SlackRequestOptions,
  SlackUserTokenSource,
  SlackWritePolicy,
} from "./slack-client.js";
export { createWebClient, slackRequest } from "./slack-client.js";
export { createSlackConnector } from "./slack-connector.js";
export type { SlackErrorMapperOptions, SlackRequestFacts } from "./slack-error.js";
export {
  classifySlackError,
  createSlackErrorMapper,
  mapSlackError,
  SLACK_ERROR_RULES,
} from "./slack-error.js";
export type { RenderNames } from "./slack-mrkdwn.js";
export { decodeSlackEntities, mentionedUserIds, renderSlackText, slackTsToIso } from "./slack-mrkdwn.js";
export { slackProbe } from "./slack-probe.js";
export type { SlackMethod, SlackRateLimitOverrides, SlackReservoir, SlackTier } from "./slack-rate-limits.js";
export {
  NON_MARKETPLACE_HISTORY,
  SLACK_BUCKETS,
  SLACK_METHOD_TIERS,
  SLACK_TIERS,
  slackBuckets,
} from "./slack-rate-limits.js";
export type {
  SlackHistoryProfile,
  SlackRefreshInfo,
  SlackRotationSettings,
  SlackSettings,
  SlackTokenKind,
} from "./slack-settings.js";
export { DEFAULT_API_URL, normalizeApiUrl, SLACK_ENV, slackSettingsFromEnv } from "./slack-settings.js";
export type { SlackRotatingCredentialsOptions } from "./slack-token-rotation.js";
export {
  isRefreshTokenPersistenceError,
  REFRESH_TOKEN_NOT_PERSISTED,
  slackRotatingCredentials,
} from "./slack-token-rotation.js";
export { SlackUserDirectory } from "./slack-users.js";
export {
  slackAddReaction,
  slackFindUserByEmail,
  slackGetChannelHistory,
  slackGetThreadReplies,
  slackGetUser,
  slackListChannels,
  slackListUsers,
  slackPostMessage,
  slackReplyInThread,
  slackSearchMessages,
  slackTools,
} from "./tools/index.js";
export { VERSION } from "./version.js";
