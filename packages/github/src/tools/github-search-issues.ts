import { listInputShape, listOutputSchema, READ_ANNOTATIONS } from "@switchyard/core";
import { z } from "zod";
import { searchIssuesSchema } from "../github-api.js";
import { githubRequest } from "../github-client.js";
import { issueSummaryOutput, repositoryFromApiUrl, toIssueSummary } from "../github-output.js";
import { listByLinkHeader } from "../github-pagination.js";
import {
  SEARCH_CEILING_NOTE,
  SEARCH_RESULT_CEILING,
  scopeSearchQuery,
  searchOutputExtra,
  searchQuery,
  withinSearchCeiling,
} from "../github-search-query.js";
import { defineGithubTool } from "../github-tool.js";

/** Search spans repositories, so each hit says which one it is in. */
const searchHit = issueSummaryOutput.extend({ repository: z.string().describe("owner/repo") });

export const githubSearchIssues = defineGithubTool({
  name: "github_search_issues",
  title: "Search issues and pull requests",
  description:
    "Search issues and pull requests with GitHub search syntax, e.g. `is:issue is:open label:bug repo:o/r` (include is:issue or is:pr). Returns summaries; github_get_issue has the body.",
  input: z.object({
    query: searchQuery,
    sort: z.enum(["comments", "reactions", "interactions", "created", "updated"]).optional(),
    order: z.enum(["asc", "desc"]).optional(),
    ...listInputShape(100),
  }),
  output: listOutputSchema(searchHit, searchOutputExtra),
  annotations: READ_ANNOTATIONS,
  rateLimit: { bucket: "search" },
  async execute(input, ctx) {
    const { allowlist } = ctx.client;
    const q = scopeSearchQuery(input.query, allowlist);
    let totalCount = 0;
    let incompleteResults = false;
    let ceilingCut = false;
    const { items, nextCursor } = await listByLinkHeader(ctx, {
      limit: input.limit,
      cursor: input.cursor,
      schema: searchIssuesSchema,
      first: (pageSize) =>
        githubRequest(
          ctx,
          "GET /search/issues",
          { q, sort: input.sort, order: input.order, per_page: pageSize },
          searchIssuesSchema,
        ),
      items: (data) => {
        totalCount = data.total_count;
        incompleteResults ||= data.incomplete_results;
        // Scoping is the enforcement; this only guards against a qualifier GitHub read differently.
        const hits = data.items.map((issue) => ({
          ...toIssueSummary(issue),
          repository: issue.repository_url ? (repositoryFromApiUrl(issue.repository_url) ?? "") : "",
        }));
        if (!allowlist.restricts) return hits;
        return hits.filter((hit) => {
          const [owner = "", repo = ""] = hit.repository.split("/");
          return allowlist.allowsRepo(owner, repo);
        });
      },
      next: (url) => {
        if (withinSearchCeiling(url)) return url;
        ceilingCut = true;
        return null;
      },
    });
    const ceilingReached = ceilingCut || (nextCursor === null && totalCount > SEARCH_RESULT_CEILING);
    return {
      items,
      nextCursor,
      totalCount,
      incompleteResults,
      ceilingReached,
      ...(ceilingReached ? { note: SEARCH_CEILING_NOTE } : {}),
    };
  },
});
