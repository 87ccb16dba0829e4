import { z } from "zod";
import { commentSchema } from "../jira-api.js";
import { browseUrl, jiraRequest } from "../jira-client.js";
import { assertIssueWritable, issuePath, issueTarget } from "../jira-issues.js";
import { markdownToAdf } from "../jira-markdown-to-adf.js";
import { defineJiraTool, WRITE_ANNOTATIONS } from "../jira-tool.js";
import { issueKey, markdownText } from "../jira-validation.js";

export const jiraAddComment = defineJiraTool({
  name: "jira_add_comment",
  title: "Comment on an issue",
  description:
    "Add a comment to a Jira issue. The body is markdown (converted to Atlassian Document Format); mention people as @[Display Name](accountId). Not idempotent: calling twice posts twice.",
  input: z.object({
    issueKey: issueKey.describe("Issue key, e.g. OPS-123."),
    body: markdownText.min(1),
  }),
  output: z.object({ id: z.string(), created: z.string(), url: z.string().nullable() }),
  annotations: WRITE_ANNOTATIONS,
  rateLimit: { bucket: "write", key: (input) => input.issueKey },
  describeCall: (input) => ({
    summary: `Comment on ${input.issueKey}: "${input.body.slice(0, 80)}"`,
    targets: [issueTarget(input.issueKey)],
  }),
  async execute(input, ctx) {
    await assertIssueWritable(ctx, input.issueKey);
    const response = await jiraRequest(
      ctx,
      {
        method: "POST",
        path: issuePath(input.issueKey, "/comment"),
        body: { body: markdownToAdf(input.body) },
      },
      commentSchema,
    );
    const url = browseUrl(ctx.client, input.issueKey);
    return {
      id: response.data.id,
      created: response.data.created,
      url: url ? `${url}?focusedCommentId=${response.data.id}` : null,
    };
  },
});
