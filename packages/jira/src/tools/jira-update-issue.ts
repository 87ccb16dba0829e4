import { z } from "zod";
import { issueSchema, noContentSchema } from "../jira-api.js";
import { jiraRequest } from "../jira-client.js";
import { assertIssueWritable, issuePath, issueTarget } from "../jira-issues.js";
import { markdownToAdf } from "../jira-markdown-to-adf.js";
import { issueSummaryOutput, SUMMARY_FIELDS, toIssueSummary } from "../jira-output.js";
import { defineJiraTool, WRITE_ANNOTATIONS } from "../jira-tool.js";
import { issueKey, labelName, markdownText, shortName, summaryText } from "../jira-validation.js";
import { byIdOrName, isoDate } from "./jira-create-issue.js";

export const jiraUpdateIssue = defineJiraTool({
  name: "jira_update_issue",
  title: "Update an issue",
  description:
    "Change an issue's summary, description (markdown), labels, priority or due date. Omitted fields stay as they are. Use jira_transition_issue for the status and jira_assign_issue for the assignee.",
  input: z
    .object({
      issueKey: issueKey.describe("Issue key, e.g. OPS-123."),
      summary: summaryText.optional(),
      description: markdownText.optional().describe("Replaces the description; markdown."),
      labels: z.array(labelName).max(20).optional().describe("Replaces all labels; [] removes them."),
      addLabels: z.array(labelName).max(20).optional(),
      removeLabels: z.array(labelName).max(20).optional(),
      priority: shortName.optional().describe("Priority name or id."),
      dueDate: isoDate.nullable().optional().describe("YYYY-MM-DD; null clears it."),
    })
    .refine(
      (input) =>
        [
          input.summary,
          input.description,
          input.labels,
          input.addLabels,
          input.removeLabels,
          input.priority,
          input.dueDate,
        ].some((value) => value !== undefined),
      "give at least one field to change",
    )
    .refine(
      (input) =>
        input.labels === undefined || (input.addLabels === undefined && input.removeLabels === undefined),
      "give either labels (replace all) or addLabels/removeLabels, not both",
    ),
  output: issueSummaryOutput,
  // Setting the same values twice leaves the issue as the first call did.
  annotations: { ...WRITE_ANNOTATIONS, idempotent: true },
  rateLimit: { bucket: "write", key: (input) => input.issueKey },
  describeCall: (input) => ({
    summary: `Update ${input.issueKey}${input.summary ? `: "${input.summary}"` : ""}`,
    targets: [issueTarget(input.issueKey)],
  }),
  async execute(input, ctx) {
    await assertIssueWritable(ctx, input.issueKey);
    const fields: Record<string, unknown> = {
      ...(input.summary === undefined ? {} : { summary: input.summary }),
      ...(input.description === undefined ? {} : { description: markdownToAdf(input.description) }),
      ...(input.labels === undefined ? {} : { labels: input.labels }),
      ...(input.priority === undefined ? {} : { priority: byIdOrName(input.priority) }),
      ...(input.dueDate === undefined ? {} : { duedate: input.dueDate }),
    };
    const labelOps = [
      ...(input.addLabels ?? []).map((label) => ({ add: label })),
      ...(input.removeLabels ?? []).map((label) => ({ remove: label })),
    ];
    await jiraRequest(
      ctx,
      {
        method: "PUT",
        path: issuePath(input.issueKey),
        body: {
          ...(Object.keys(fields).length > 0 ? { fields } : {}),
          ...(labelOps.length > 0 ? { update: { labels: labelOps } } : {}),
        },
      },
      noContentSchema,
    );
    const updated = await jiraRequest(
      ctx,
      { method: "GET", path: issuePath(input.issueKey), query: { fields: [...SUMMARY_FIELDS] } },
      issueSchema,
    );
    return toIssueSummary(updated.data, ctx.client);
  },
});
