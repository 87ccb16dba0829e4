export type { GithubAllowlist } from "./github-allowlist.js";
export { createGithubAllowlist } from "./github-allowlist.js";
/** The connector's minimal wire schemas, for drift checks of recorded upstream answers (contract-tests). */
export * as wireSchemas from "./github-api.js";
export type { GithubAppCredentialsOptions } from "./github-app-auth.js";
export { createAppJwt, githubAppCredentials } from "./github-app-auth.js";
export { githubCredentials, missingGithubCredentials } from "./github-auth.js";
export type { GithubClient, GithubClientOptions, GithubContext, GithubResponse } from "./github-client.js";
export { createGithubClient, githubRequest } from "./github-client.js";
export { createGithubConnector } from "./github-connector.js";
export type { GithubErrorMapperOptions } from "./github-error.js";
export { createGithubErrorMapper, isGithubRequestError, mapGithubError } from "./github-error.js";
export { githubProbe } from "./github-probe.js";
export { GITHUB_BUCKETS } from "./github-rate-limits.js";
export { SEARCH_RESULT_CEILING, scopeSearchQuery } from "./github-search-query.js";
export type { GithubAppSettings, GithubSettings } from "./github-settings.js";
export {
  DEFAULT_API_URL,
  DEFAULT_API_VERSION,
  GITHUB_ENV,
  githubSettingsFromEnv,
  normalizeApiUrl,
} from "./github-settings.js";
export {
  githubAddComment,
  githubCreateIssue,
  githubCreatePullRequest,
  githubGetFileContents,
  githubGetIssue,
  githubGetPullRequest,
  githubGetRepository,
  githubListCommits,
  githubListIssues,
  githubListPullRequests,
  githubListRepositories,
  githubSearchCode,
  githubSearchIssues,
  githubTools,
  githubUpdateIssue,
} from "./tools/index.js";
export { VERSION } from "./version.js";
