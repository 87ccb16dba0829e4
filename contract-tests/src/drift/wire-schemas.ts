/**
 * Which wire schema of which connector package reads which recorded endpoint, and which tools depend on it.
 * Drift detection validates the recordings of a live run (`recordings/<upstream>/<tool>/NN.json`) against
 * these schemas, so a field the upstream renamed or retyped fails with the field and the tool named.
 *
 * Schemas are looked up by their export name in the package (`issueSchema`), or inside an exported
 * `wireSchemas` object. None of the connector packages exports them yet (they live in each package's
 * `src/*-api.ts`); until they do, every row reports "unavailable" and says which export is missing.
 *
 * Endpoints are `METHOD /path` below the API root the recordings are made under; `{name}` is one path
 * segment, `{+name}` the rest of the path.
 */

export interface WireEndpoint {
  readonly endpoint: string;
  /** The response status the row applies to; default: any 2xx. */
  readonly status?: number;
  /** Applies only to bodies this accepts (Slack answers errors as HTTP 200 `{ ok: false }`). */
  readonly bodyMatches?: (body: unknown) => boolean;
  /** Export name of the zod schema in the package. */
  readonly schema: string;
  /** Tools whose answers depend on this schema (for the report; the recording names the tool that ran). */
  readonly tools: readonly string[];
}

export interface WireSchemaSource {
  readonly upstream: string;
  readonly packageName: string;
  readonly endpoints: readonly WireEndpoint[];
  /** The package's exports (a dynamic import, so a missing or unbuilt package is a finding, not a crash). */
  load(): Promise<Record<string, unknown>>;
}

const GITHUB_REPO = "/repos/{owner}/{repo}";

export const GITHUB_WIRE: WireSchemaSource = {
  upstream: "github",
  packageName: "@switchyard/github",
  load: () => import("@switchyard/github") as Promise<Record<string, unknown>>,
  // The same rows as packages/github/test/openapi/wire-drift.ts (WIRE_ENDPOINTS), plus the tools.
  endpoints: [
    { endpoint: `GET ${GITHUB_REPO}/issues`, schema: "issueListSchema", tools: ["github_list_issues"] },
    {
      endpoint: `GET ${GITHUB_REPO}/issues/{number}`,
      schema: "issueSchema",
      tools: ["github_get_issue"],
    },
    {
      endpoint: `POST ${GITHUB_REPO}/issues`,
      status: 201,
      schema: "issueSchema",
      tools: ["github_create_issue"],
    },
    {
      endpoint: `PATCH ${GITHUB_REPO}/issues/{number}`,
      schema: "issueSchema",
      tools: ["github_update_issue"],
    },
    {
      endpoint: `GET ${GITHUB_REPO}/issues/{number}/comments`,
      schema: "commentListSchema",
      tools: ["github_get_issue"],
    },
    {
      endpoint: `POST ${GITHUB_REPO}/issues/{number}/comments`,
      status: 201,
      schema: "commentSchema",
      tools: ["github_add_comment"],
    },
    {
      endpoint: `GET ${GITHUB_REPO}/pulls`,
      schema: "pullRequestListSchema",
      tools: ["github_list_pull_requests"],
    },
    {
      endpoint: `GET ${GITHUB_REPO}/pulls/{number}`,
      schema: "pullRequestSchema",
      tools: ["github_get_pull_request"],
    },
    {
      endpoint: `POST ${GITHUB_REPO}/pulls`,
      status: 201,
      schema: "pullRequestSchema",
      tools: ["github_create_pull_request"],
    },
    {
      endpoint: `GET ${GITHUB_REPO}/pulls/{number}/files`,
      schema: "pullRequestFileListSchema",
      tools: ["github_get_pull_request"],
    },
    {
      endpoint: `GET ${GITHUB_REPO}/pulls/{number}/reviews`,
      schema: "reviewListSchema",
      tools: ["github_get_pull_request"],
    },
    {
      endpoint: `GET ${GITHUB_REPO}/commits/{ref}/status`,
      schema: "combinedStatusSchema",
      tools: ["github_get_pull_request"],
    },
    {
      endpoint: `GET ${GITHUB_REPO}/commits/{ref}/check-runs`,
      schema: "checkRunsSchema",
      tools: ["github_get_pull_request"],
    },
    { endpoint: `GET ${GITHUB_REPO}/commits`, schema: "commitListSchema", tools: ["github_list_commits"] },
    { endpoint: `GET ${GITHUB_REPO}`, schema: "repositorySchema", tools: ["github_get_repository"] },
    { endpoint: "GET /user/repos", schema: "repositoryListSchema", tools: ["github_list_repositories"] },
    {
      endpoint: "GET /orgs/{org}/repos",
      schema: "repositoryListSchema",
      tools: ["github_list_repositories"],
    },
    {
      endpoint: "GET /users/{username}/repos",
      schema: "repositoryListSchema",
      tools: ["github_list_repositories"],
    },
    {
      endpoint: "GET /installation/repositories",
      schema: "installationRepositoriesSchema",
      tools: ["github_list_repositories"],
    },
    {
      endpoint: `GET ${GITHUB_REPO}/contents/{+path}`,
      schema: "contentSchema",
      tools: ["github_get_file_contents"],
    },
    { endpoint: `GET ${GITHUB_REPO}/contents`, schema: "contentSchema", tools: ["github_get_file_contents"] },
    { endpoint: "GET /search/issues", schema: "searchIssuesSchema", tools: ["github_search_issues"] },
    { endpoint: "GET /search/code", schema: "searchCodeSchema", tools: ["github_search_code"] },
    // Link headers page on through /repositories/{id}/…, the form GitHub's next links use.
    {
      endpoint: "GET /repositories/{id}/issues",
      schema: "issueListSchema",
      tools: ["github_list_issues"],
    },
    {
      endpoint: "GET /repositories/{id}/commits",
      schema: "commitListSchema",
      tools: ["github_list_commits"],
    },
    { endpoint: "GET /user", schema: "userSchema", tools: [] },
  ],
};

const slackMethod = (method: string, schema: string, tools: readonly string[]): WireEndpoint => ({
  endpoint: `POST /${method}`,
  bodyMatches: (body) => (body as { ok?: unknown } | null)?.ok === true,
  schema,
  tools,
});

export const SLACK_WIRE: WireSchemaSource = {
  upstream: "slack",
  packageName: "@switchyard/slack",
  load: () => import("@switchyard/slack") as Promise<Record<string, unknown>>,
  endpoints: [
    // Slack answers most errors with HTTP 200 and `ok: false`.
    {
      endpoint: "POST /{method}",
      bodyMatches: (body) => (body as { ok?: unknown } | null)?.ok === false,
      schema: "errorBodySchema",
      tools: [],
    },
    slackMethod("conversations.list", "conversationsListSchema", ["slack_list_channels"]),
    slackMethod("conversations.info", "conversationsInfoSchema", [
      "slack_get_channel_history",
      "slack_post_message",
    ]),
    slackMethod("conversations.history", "conversationsHistorySchema", ["slack_get_channel_history"]),
    slackMethod("conversations.replies", "conversationsRepliesSchema", ["slack_get_thread_replies"]),
    slackMethod("search.messages", "searchMessagesSchema", ["slack_search_messages"]),
    slackMethod("users.info", "usersInfoSchema", ["slack_get_user", "slack_get_channel_history"]),
    slackMethod("users.lookupByEmail", "usersInfoSchema", ["slack_find_user_by_email"]),
    slackMethod("users.list", "usersListSchema", ["slack_list_users"]),
    slackMethod("chat.postMessage", "postMessageSchema", ["slack_post_message", "slack_reply_in_thread"]),
    slackMethod("reactions.add", "okSchema", ["slack_add_reaction"]),
    slackMethod("auth.test", "authTestSchema", []),
  ],
};

const JIRA = "/rest/api/3";

export const JIRA_WIRE: WireSchemaSource = {
  upstream: "jira",
  packageName: "@switchyard/jira",
  load: () => import("@switchyard/jira") as Promise<Record<string, unknown>>,
  endpoints: [
    {
      endpoint: `GET ${JIRA}/issue/{key}`,
      schema: "issueSchema",
      tools: ["jira_get_issue", "jira_update_issue"],
    },
    {
      endpoint: `GET ${JIRA}/issue/{key}/comment`,
      schema: "commentPageSchema",
      tools: ["jira_get_issue"],
    },
    {
      endpoint: `GET ${JIRA}/issue/{key}/transitions`,
      schema: "transitionsSchema",
      tools: ["jira_get_issue", "jira_transition_issue"],
    },
    {
      endpoint: `POST ${JIRA}/issue`,
      status: 201,
      schema: "createdIssueSchema",
      tools: ["jira_create_issue"],
    },
    { endpoint: `POST ${JIRA}/search/jql`, schema: "searchJqlSchema", tools: ["jira_search_issues"] },
    { endpoint: `GET ${JIRA}/search/jql`, schema: "searchJqlSchema", tools: ["jira_search_issues"] },
    { endpoint: `GET ${JIRA}/project/search`, schema: "projectPageSchema", tools: ["jira_list_projects"] },
    { endpoint: `GET ${JIRA}/project/{key}`, schema: "projectSchema", tools: ["jira_get_project"] },
    {
      endpoint: `GET ${JIRA}/project/{key}/statuses`,
      schema: "projectStatusesSchema",
      tools: ["jira_get_project"],
    },
    { endpoint: `GET ${JIRA}/myself`, schema: "myselfSchema", tools: [] },
    {
      endpoint: `POST ${JIRA}/issue/{key}/comment`,
      status: 201,
      schema: "commentSchema",
      tools: ["jira_add_comment"],
    },
  ],
};

/** Every upstream whose recordings are validated. Adding one: a source here (and recordings from a live run). */
export const WIRE_SCHEMA_SOURCES: readonly WireSchemaSource[] = [GITHUB_WIRE, SLACK_WIRE, JIRA_WIRE];
