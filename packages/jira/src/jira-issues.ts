import { projectOfIssueKey } from "./jira-allowlist.js";
import { issueSchema } from "./jira-api.js";
import { type JiraContext, jiraRequest } from "./jira-client.js";

/** REST paths; keys are validated by the input schemas before these are built, and encoded anyway. */
export const issuePath = (key: string, rest = "") => `/rest/api/3/issue/${encodeURIComponent(key)}${rest}`;
export const projectPath = (key: string, rest = "") =>
  `/rest/api/3/project/${encodeURIComponent(key)}${rest}`;

/**
 * Checks, before a write, that the issue's project is allowlisted (or cleared by this call's approval). The
 * key's prefix is checked first, without a request. With an allowlist, the issue's current project is then
 * read: an old key keeps working after the issue moves to another project, and that project counts.
 */
export async function assertIssueWritable(ctx: JiraContext, key: string): Promise<void> {
  const { allowlist } = ctx.client;
  allowlist.assertProject(projectOfIssueKey(key), ctx.approvedTargets);
  if (!allowlist.restricts) return;
  const issue = await jiraRequest(
    ctx,
    { method: "GET", path: issuePath(key), query: { fields: "project" } },
    issueSchema,
  );
  const actual = issue.data.fields.project?.key ?? projectOfIssueKey(issue.data.key);
  allowlist.assertProject(actual, ctx.approvedTargets);
}

/** The project a write tool touches, for approvals and the audit trail. */
export const issueTarget = (key: string) => projectOfIssueKey(key);
