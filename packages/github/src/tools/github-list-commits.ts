import { listInputShape, listOutputSchema, READ_ANNOTATIONS } from "@switchyard/core";
import { z } from "zod";
import { commitListSchema } from "../github-api.js";
import { githubRequest } from "../github-client.js";
import { commitOutput, toCommit } from "../github-output.js";
import { listByLinkHeader } from "../github-pagination.js";
import { defineGithubTool } from "../github-tool.js";
import { gitRef, isoTimestamp, loginName, repoPath, repoShape } from "../github-validation.js";

export const githubListCommits = defineGithubTool({
  name: "github_list_commits",
  title: "List commits",
  description:
    "List commits from a branch, tag or SHA (default branch if omitted), newest first, optionally only those touching a path.",
  input: z.object({
    ...repoShape,
    ref: gitRef.optional(),
    path: repoPath.optional(),
    author: loginName.optional().describe("GitHub login."),
    since: isoTimestamp.optional(),
    until: isoTimestamp.optional(),
    ...listInputShape(100),
  }),
  output: listOutputSchema(commitOutput),
  annotations: READ_ANNOTATIONS,
  async execute(input, ctx) {
    ctx.client.allowlist.assertRepo(input.owner, input.repo);
    return listByLinkHeader(ctx, {
      limit: input.limit,
      cursor: input.cursor,
      schema: commitListSchema,
      first: (pageSize) =>
        githubRequest(
          ctx,
          "GET /repos/{owner}/{repo}/commits",
          {
            owner: input.owner,
            repo: input.repo,
            sha: input.ref,
            path: input.path === "" ? undefined : input.path,
            author: input.author,
            since: input.since,
            until: input.until,
            per_page: pageSize,
          },
          commitListSchema,
        ),
      items: (data) => data.map(toCommit),
    });
  },
});
