import { z } from "zod";
import { noContentSchema } from "../jira-api.js";
import { jiraRequest } from "../jira-client.js";
import { assertIssueWritable, issuePath, issueTarget } from "../jira-issues.js";
import { defineJiraTool, WRITE_ANNOTATIONS } from "../jira-tool.js";
import { accountId, issueKey } from "../jira-validation.js";

export const jiraAssignIssue = defineJiraTool({
  name: "jira_assign_issue",
  title: "Assign an issue",
  description:
    "Assign a Jira issue to an account (by account id), or unassign it with accountId null. Account ids appear on issues (assignee, reporter) and in mentions.",
  input: z.object({
    issueKey: issueKey.describe("Issue key, e.g. OPS-123."),
    accountId: accountId.nullable().describe("The assignee's Atlassian account id; null unassigns."),
  }),
  output: z.object({ issueKey: z.string(), assignee: z.string().nullable() }),
  // Assigning the same person twice leaves the issue as the first call did.
  annotations: { ...WRITE_ANNOTATIONS, idempotent: true },
  rateLimit: { bucket: "write", key: (input) => input.issueKey },
  describeCall: (input) => ({
    summary: input.accountId
      ? `Assign ${input.issueKey} to ${input.accountId}`
      : `Unassign ${input.issueKey}`,
    targets: [issueTarget(input.issueKey)],
  }),
  async execute(input, ctx) {
    await assertIssueWritable(ctx, input.issueKey);
    await jiraRequest(
      ctx,
      { method: "PUT", path: issuePath(input.issueKey, "/assignee"), body: { accountId: input.accountId } },
      noContentSchema,
    );
    return { issueKey: input.issueKey, assignee: input.accountId };
  },
});
