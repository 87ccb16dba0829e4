import { listInputShape, listOutputSchema, READ_ANNOTATIONS } from "@switchyard/core";
import { z } from "zod";
import { projectPageSchema } from "../jira-api.js";
import { jiraRequest } from "../jira-client.js";
import { projectSummaryOutput, toProjectSummary } from "../jira-output.js";
import { listByOffset } from "../jira-pagination.js";
import { defineJiraTool } from "../jira-tool.js";

export const jiraListProjects = defineJiraTool({
  name: "jira_list_projects",
  title: "List projects",
  description:
    "List the Jira projects this account can see (only allowlisted ones when an allowlist is set), optionally filtered by a name or key fragment. Use jira_get_project for issue types and statuses.",
  input: z.object({
    query: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .describe("Matches project names and keys (case-insensitive, partial)."),
    ...listInputShape(50, 25),
  }),
  output: listOutputSchema(projectSummaryOutput),
  annotations: READ_ANNOTATIONS,
  async execute(input, ctx) {
    const { allowlist } = ctx.client;
    // Allowlisted keys are sent as repeated `keys` parameters, so Jira filters; results are filtered again.
    const keys = allowlist.restricts
      ? `?${allowlist.projects.map((key) => `keys=${encodeURIComponent(key)}`).join("&")}`
      : "";
    return listByOffset(ctx, {
      limit: input.limit,
      cursor: input.cursor,
      maxPageSize: 50,
      page: async (startAt, pageSize) => {
        const response = await jiraRequest(
          ctx,
          {
            method: "GET",
            path: `/rest/api/3/project/search${keys}`,
            query: { startAt, maxResults: pageSize, orderBy: "key", query: input.query },
          },
          projectPageSchema,
        );
        const { values } = response.data;
        return {
          items: values
            .filter((project) => allowlist.allows(project.key))
            .map((project) => toProjectSummary(project, ctx.client)),
          count: values.length,
          total: response.data.total,
          isLast: response.data.isLast,
        };
      },
    });
  },
});
