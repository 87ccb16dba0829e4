// The fake Jira Cloud: site API, OAuth host and API gateway, all in-process or under `/jira` of the sandbox.
export type { JiraSandbox, JiraSandboxOptions } from "./jira-handlers.js";
export {
  ATLASSIAN_API_URL,
  ATLASSIAN_AUTH_URL,
  createJiraSandboxHandlers,
  JIRA_ROUTES,
  JIRA_SITE_URL,
} from "./jira-handlers.js";
export type { BasicCheck, JiraStateOptions, NewIssue } from "./jira-state.js";
export { JIRA_SANDBOX_API_TOKEN, JiraSandboxState, SANDBOX_CLOUD_ID } from "./jira-state.js";
export type { JiraUpstreamOptions } from "./jira-upstream.js";
export { JIRA_AUTH_PATH, JIRA_GATEWAY_PATH, jiraUpstream } from "./jira-upstream.js";
