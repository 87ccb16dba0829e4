import { z } from "zod";
import { pullRequestSchema } from "../github-api.js";
import { githubRequest } from "../github-client.js";
import { pullRequestSummaryOutput, toPullRequestSummary } from "../github-output.js";
import { defineGithubTool, WRITE_ANNOTATIONS } from "../github-tool.js";
import { gitRef, headRef, repoShape } from "../github-validation.js";
import { MAX_BODY_CHARS } from "./github-create-issue.js";

export const githubCreatePullRequest = defineGithubTool({
  name: "github_create_pull_request",
  title: "Open a pull request",
  description:
    "Open a pull request from an existing branch (head) into base. Not idempotent; GitHub refuses a second open PR for the same head and base.",
  input: z.object({
    ...repoShape,
    title: z.string().min(1).max(256),
    head: headRef.describe("Branch with the changes; owner:branch for a fork."),
    base: gitRef.describe("Branch to merge into."),
    body: z.string().max(MAX_BODY_CHARS).optional().describe("Markdown."),
    draft: z.boolean().optional(),
    maintainerCanModify: z.boolean().optional(),
  }),
  output: pullRequestSummaryOutput,
  annotations: WRITE_ANNOTATIONS,
  describeCall: (input) => ({
    summary: `Open a pull request in ${input.owner}/${input.repo} (${input.head} into ${input.base}): "${input.title}"`,
    targets: [`${input.owner}/${input.repo}`],
  }),
  async execute(input, ctx) {
    ctx.client.allowlist.assertRepo(input.owner, input.repo, ctx.approvedTargets);
    const response = await githubRequest(
      ctx,
      "POST /repos/{owner}/{repo}/pulls",
      {
        owner: input.owner,
        repo: input.repo,
        title: input.title,
        head: input.head,
        base: input.base,
        body: input.body,
        draft: input.draft,
        maintainer_can_modify: input.maintainerCanModify,
      },
      pullRequestSchema,
    );
    return toPullRequestSummary(response.data);
  },
});
