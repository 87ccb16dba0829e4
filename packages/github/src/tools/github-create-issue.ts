import { z } from "zod";
import { issueSchema } from "../github-api.js";
import { githubRequest } from "../github-client.js";
import { issueSummaryOutput, toIssueSummary } from "../github-output.js";
import { defineGithubTool, WRITE_ANNOTATIONS } from "../github-tool.js";
import { labelName, loginName, repoShape } from "../github-validation.js";

/** GitHub's limit on issue, PR and comment bodies. */
export const MAX_BODY_CHARS = 65_536;

export const githubCreateIssue = defineGithubTool({
  name: "github_create_issue",
  title: "Create an issue",
  description:
    "Open a new issue. Not idempotent: calling twice opens two issues, so after a timeout search before retrying.",
  input: z.object({
    ...repoShape,
    title: z.string().min(1).max(256),
    body: z.string().max(MAX_BODY_CHARS).optional().describe("Markdown."),
    labels: z.array(labelName).max(20).optional(),
    assignees: z.array(loginName).max(10).optional(),
    milestone: z.number().int().positive().optional().describe("Milestone number."),
  }),
  output: issueSummaryOutput,
  annotations: WRITE_ANNOTATIONS,
  describeCall: (input) => ({
    summary: `Create an issue in ${input.owner}/${input.repo}: "${input.title}"`,
    targets: [`${input.owner}/${input.repo}`],
  }),
  async execute(input, ctx) {
    ctx.client.allowlist.assertRepo(input.owner, input.repo, ctx.approvedTargets);
    const response = await githubRequest(ctx, "POST /repos/{owner}/{repo}/issues", input, issueSchema);
    return toIssueSummary(response.data);
  },
});
