import { listInputShape, listOutputSchema, READ_ANNOTATIONS } from "@switchyard/core";
import { z } from "zod";
import { searchCodeSchema } from "../github-api.js";
import { githubRequest } from "../github-client.js";
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

const codeHit = z.object({
  repository: z.string().describe("owner/repo"),
  path: z.string(),
  name: z.string(),
  sha: z.string(),
  url: z.string(),
});

export const githubSearchCode = defineGithubTool({
  name: "github_search_code",
  title: "Search code",
  description:
    "Search code on default branches with GitHub code search syntax, e.g. `parseConfig repo:o/r path:src language:ts`. Returns file locations for github_get_file_contents.",
  input: z.object({
    query: searchQuery,
    ...listInputShape(100),
  }),
  output: listOutputSchema(codeHit, searchOutputExtra),
  annotations: READ_ANNOTATIONS,
  // Code search has its own budget (10 per minute), separate from issue search.
  rateLimit: { bucket: "code_search" },
  async execute(input, ctx) {
    const { allowlist } = ctx.client;
    const q = scopeSearchQuery(input.query, allowlist);
    let totalCount = 0;
    let incompleteResults = false;
    let ceilingCut = false;
    const { items, nextCursor } = await listByLinkHeader(ctx, {
      limit: input.limit,
      cursor: input.cursor,
      schema: searchCodeSchema,
      first: (pageSize) =>
        githubRequest(ctx, "GET /search/code", { q, per_page: pageSize }, searchCodeSchema),
      items: (data) => {
        totalCount = data.total_count;
        incompleteResults ||= data.incomplete_results;
        return data.items
          .filter((hit) => {
            const [owner = "", repo = ""] = hit.repository.full_name.split("/");
            return allowlist.allowsRepo(owner, repo);
          })
          .map((hit) => ({
            repository: hit.repository.full_name,
            path: hit.path,
            name: hit.name,
            sha: hit.sha,
            url: hit.html_url,
          }));
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
