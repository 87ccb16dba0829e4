import { listInputShape, listOutputSchema, READ_ANNOTATIONS } from "@switchyard/core";
import { z } from "zod";
import { pullRequestListSchema } from "../github-api.js";
import { githubRequest } from "../github-client.js";
import { pullRequestSummaryOutput, toPullRequestSummary } from "../github-output.js";
import { listByLinkHeader } from "../github-pagination.js";
import { defineGithubTool } from "../github-tool.js";
import { gitRef, headRef, repoShape } from "../github-validation.js";

export const githubListPullRequests = defineGithubTool({
  name: "github_list_pull_requests",
  title: "List pull requests",
  description:
    "List a repository's pull requests as summaries; github_get_pull_request has files, reviews and checks.",
  input: z.object({
    ...repoShape,
    state: z.enum(["open", "closed", "all"]).default("open"),
    head: headRef.optional().describe("Source branch, as owner:branch."),
    base: gitRef.optional().describe("Target branch."),
    sort: z.enum(["created", "updated", "popularity", "long-running"]).default("created"),
    direction: z.enum(["asc", "desc"]).default("desc"),
    ...listInputShape(100),
  }),
  output: listOutputSchema(pullRequestSummaryOutput),
  annotations: READ_ANNOTATIONS,
  async execute(input, ctx) {
    ctx.client.allowlist.assertRepo(input.owner, input.repo);
    return listByLinkHeader(ctx, {
      limit: input.limit,
      cursor: input.cursor,
      schema: pullRequestListSchema,
      first: (pageSize) =>
        githubRequest(
          ctx,
          "GET /repos/{owner}/{repo}/pulls",
          {
            owner: input.owner,
            repo: input.repo,
            state: input.state,
            head: input.head,
            base: input.base,
            sort: input.sort,
            direction: input.direction,
            per_page: pageSize,
          },
          pullRequestListSchema,
        ),
      items: (data) => data.map(toPullRequestSummary),
    });
  },
});
