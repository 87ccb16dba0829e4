import { listInputShape, listOutputSchema, READ_ANNOTATIONS } from "@switchyard/core";
import { z } from "zod";
import { issueListSchema } from "../github-api.js";
import { githubRequest } from "../github-client.js";
import { issueSummaryOutput, toIssueSummary } from "../github-output.js";
import { listByLinkHeader } from "../github-pagination.js";
import { defineGithubTool } from "../github-tool.js";
import { isoTimestamp, labelName, loginName, repoShape } from "../github-validation.js";

export const githubListIssues = defineGithubTool({
  name: "github_list_issues",
  title: "List issues",
  description:
    "List a repository's issues as summaries; pull requests are included, flagged isPullRequest. Empty fields are left out. github_get_issue has the body and comments.",
  input: z.object({
    ...repoShape,
    state: z.enum(["open", "closed", "all"]).default("open"),
    labels: z.array(labelName).max(20).optional().describe("Only issues with all of these labels."),
    assignee: z
      .union([loginName, z.enum(["none", "*"])])
      .optional()
      .describe("A login, `none` (unassigned) or `*` (assigned to anyone)."),
    creator: loginName.optional(),
    since: isoTimestamp.optional().describe("Only issues updated at or after this time."),
    sort: z.enum(["created", "updated", "comments"]).default("created"),
    direction: z.enum(["asc", "desc"]).default("desc"),
    ...listInputShape(100),
  }),
  output: listOutputSchema(issueSummaryOutput),
  annotations: READ_ANNOTATIONS,
  async execute(input, ctx) {
    ctx.client.allowlist.assertRepo(input.owner, input.repo);
    return listByLinkHeader(ctx, {
      limit: input.limit,
      cursor: input.cursor,
      schema: issueListSchema,
      first: (pageSize) =>
        githubRequest(
          ctx,
          "GET /repos/{owner}/{repo}/issues",
          {
            owner: input.owner,
            repo: input.repo,
            state: input.state,
            labels: input.labels?.join(","),
            assignee: input.assignee,
            creator: input.creator,
            since: input.since,
            sort: input.sort,
            direction: input.direction,
            per_page: pageSize,
          },
          issueListSchema,
        ),
      items: (data) => data.map(toIssueSummary),
    });
  },
});
