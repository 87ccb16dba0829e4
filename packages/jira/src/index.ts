export type { AdfDocument, AdfMark, AdfNode } from "./jira-adf.js";
export { adfToMarkdown } from "./jira-adf-to-markdown.js";
export type { JiraProjectAllowlist } from "./jira-allowlist.js";
export { createJiraAllowlist, projectOfIssueKey } from "./jira-allowlist.js";
/** The connector's minimal wire schemas, for drift checks of recorded upstream answers (contract-tests). */
export * as wireSchemas from "./jira-api.js";
export type { JiraCredentialsInput } from "./jira-auth.js";
export { jiraCredentials, missingJiraCredentials } from "./jira-auth.js";
export type {
  JiraClient,
  JiraClientOptions,
  JiraContext,
  JiraRequest,
  JiraResponse,
  JiraTextLimits,
} from "./jira-client.js";
export { createJiraClient, jiraRequest } from "./jira-client.js";
export { createJiraConnector } from "./jira-connector.js";
export type { JiraErrorMapperOptions } from "./jira-error.js";
export {
  createJiraErrorMapper,
  isJiraHttpError,
  JiraHttpError,
  JiraTransportError,
  mapJiraError,
} from "./jira-error.js";
export type { SplitJql } from "./jira-jql.js";
export { scopeJql, splitJql } from "./jira-jql.js";
export { markdownToAdf } from "./jira-markdown-to-adf.js";
export type { JiraOAuthCredentialsOptions } from "./jira-oauth.js";
export { jiraOAuthCredentials } from "./jira-oauth.js";
export { jiraProbe } from "./jira-probe.js";
export type { JiraRateLimitInfo, RateLimitScope } from "./jira-rate-limits.js";
export { JIRA_BUCKETS, RATE_LIMIT_REASONS, readRateLimit, scopeForReason } from "./jira-rate-limits.js";
export type { JiraOAuthSettings, JiraSettings } from "./jira-settings.js";
export {
  DEFAULT_API_GATEWAY_URL,
  DEFAULT_OAUTH_TOKEN_URL,
  JIRA_ENV,
  jiraSettingsFromEnv,
} from "./jira-settings.js";
export type { RefreshTokenStore } from "./jira-token-store.js";
export { fileRefreshTokenStore } from "./jira-token-store.js";
export {
  jiraAddComment,
  jiraAssignIssue,
  jiraCreateIssue,
  jiraGetIssue,
  jiraGetProject,
  jiraListProjects,
  jiraSearchIssues,
  jiraTools,
  jiraTransitionIssue,
  jiraUpdateIssue,
} from "./tools/index.js";
export { VERSION } from "./version.js";
