import { z } from "zod";
import { commentSchema } from "../github-api.js";
import { githubRequest } from "../github-client.js";
import { defineGithubTool, WRITE_ANNOTATIONS } from "../github-tool.js";
import { issueNumber, repoShape } from "../github-validation.js";
import { MAX_BODY_CHARS } from "./github-create-issue.js";

export const githubAddComment = defineGithubTool({
  name: "github_add_comment",
  title: "Comment on an issue or pull request",
  description:
    "Add a comment to an issue or pull request (its conversation, not a code review). Not idempotent: calling twice posts twice.",
  input: z.object({
    ...repoShape,
    number: issueNumber.describe("Issue or pull request number."),
    body: z.string().min(1).max(MAX_BODY_CHARS).describe("Markdown."),
  }),
  output: z.object({ id: z.number().int(), url: z.string(), createdAt: z.string() }),
  annotations: WRITE_ANNOTATIONS,
  describeCall: (input) => ({
    summary: `Comment on ${input.owner}/${input.repo}#${input.number}: "${input.body.slice(0, 80)}"`,
    targets: [`${input.owner}/${input.repo}`],
  }),
  async execute(input, ctx) {
    ctx.client.allowlist.assertRepo(input.owner, input.repo, ctx.approvedTargets);
    const response = await githubRequest(
      ctx,
      "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
      { owner: input.owner, repo: input.repo, issue_number: input.number, body: input.body },
      commentSchema,
    );
    return { id: response.data.id, url: response.data.html_url, createdAt: response.data.created_at };
  },
});
