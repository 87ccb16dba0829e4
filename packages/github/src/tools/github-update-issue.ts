import { z } from "zod";
import { issueSchema } from "../github-api.js";
import { githubRequest } from "../github-client.js";
import { issueSummaryOutput, toIssueSummary } from "../github-output.js";
import { defineGithubTool, WRITE_ANNOTATIONS } from "../github-tool.js";
import { issueNumber, labelName, loginName, repoShape } from "../github-validation.js";
import { MAX_BODY_CHARS } from "./github-create-issue.js";

export const githubUpdateIssue = defineGithubTool({
  name: "github_update_issue",
  title: "Update an issue",
  description:
    "Change an issue's (or pull request's) title, body, state, labels or assignees. Given lists replace the current ones; omitted fields stay as they are.",
  input: z
    .object({
      ...repoShape,
      number: issueNumber,
      title: z.string().min(1).max(256).optional(),
      body: z.string().max(MAX_BODY_CHARS).optional(),
      state: z.enum(["open", "closed"]).optional(),
      stateReason: z.enum(["completed", "not_planned", "reopened"]).optional(),
      labels: z.array(labelName).max(20).optional().describe("Replaces all labels; [] removes them."),
      assignees: z.array(loginName).max(10).optional().describe("Replaces all assignees; [] removes them."),
    })
    .refine(
      (input) =>
        [input.title, input.body, input.state, input.stateReason, input.labels, input.assignees].some(
          (value) => value !== undefined,
        ),
      "give at least one field to change",
    ),
  output: issueSummaryOutput,
  // Setting the same values twice leaves the issue as the first call did.
  annotations: { ...WRITE_ANNOTATIONS, idempotent: true },
  describeCall: (input) => ({
    summary: `Update ${input.owner}/${input.repo}#${input.number}${input.state ? ` (state ${input.state})` : ""}${input.title ? `: "${input.title}"` : ""}`,
    targets: [`${input.owner}/${input.repo}`],
  }),
  async execute(input, ctx) {
    ctx.client.allowlist.assertRepo(input.owner, input.repo, ctx.approvedTargets);
    const response = await githubRequest(
      ctx,
      "PATCH /repos/{owner}/{repo}/issues/{issue_number}",
      {
        owner: input.owner,
        repo: input.repo,
        issue_number: input.number,
        title: input.title,
        body: input.body,
        state: input.state,
        state_reason: input.stateReason,
        labels: input.labels,
        assignees: input.assignees,
      },
      issueSchema,
    );
    return toIssueSummary(response.data);
  },
});
