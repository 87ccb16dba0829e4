import { listInputShape, listOutputSchema, READ_ANNOTATIONS } from "@switchyard/core";
import { z } from "zod";
import { projectOfIssueKey } from "../jira-allowlist.js";
import { searchJqlSchema } from "../jira-api.js";
import { jiraRequest } from "../jira-client.js";
import { jqlInput, scopeJql } from "../jira-jql.js";
import { issueSummaryOutput, SUMMARY_FIELDS, toIssueSummary } from "../jira-output.js";
import { listByPageToken } from "../jira-pagination.js";
import { defineJiraTool } from "../jira-tool.js";

export const jiraSearchIssues = defineJiraTool({
  name: "jira_search_issues",
  title: "Search issues with JQL",
  description:
    "Search Jira issues with JQL, e.g. `project = OPS AND status != Done ORDER BY updated DESC`. Returns issue summaries without descriptions; use jira_get_issue for one in full.",
  input: z.object({
    jql: jqlInput,
    ...listInputShape(100, 25),
  }),
  output: listOutputSchema(issueSummaryOutput, {
    jql: z.string().describe("The JQL sent to Jira, after confining it to the project allowlist."),
  }),
  annotations: READ_ANNOTATIONS,
  rateLimit: { bucket: "search" },
  async execute(input, ctx) {
    const { allowlist } = ctx.client;
    const jql = scopeJql(input.jql, allowlist);
    const { items, nextCursor } = await listByPageToken(ctx, {
      limit: input.limit,
      cursor: input.cursor,
      maxPageSize: 100,
      page: async (token, pageSize) => {
        // The enhanced search: the old /rest/api/3/search answers 410. It returns only ids unless fields
        // are named, and has no total.
        const response = await jiraRequest(
          ctx,
          {
            method: "POST",
            path: "/rest/api/3/search/jql",
            body: {
              jql,
              maxResults: pageSize,
              fields: SUMMARY_FIELDS,
              ...(token === undefined ? {} : { nextPageToken: token }),
            },
          },
          searchJqlSchema,
        );
        // Scoping is the enforcement; this only guards against a clause Jira read differently.
        const issues = allowlist.restricts
          ? response.data.issues.filter((issue) =>
              allowlist.allows(issue.fields.project?.key ?? projectOfIssueKey(issue.key)),
            )
          : response.data.issues;
        return {
          items: issues.map((issue) => toIssueSummary(issue, ctx.client)),
          nextPageToken: response.data.nextPageToken,
          isLast: response.data.isLast,
        };
      },
    });
    return { items, nextCursor, jql };
  },
});
