import { z } from "zod";
import { projectOfIssueKey } from "../jira-allowlist.js";
import { createdIssueSchema } from "../jira-api.js";
import { browseUrl, jiraRequest } from "../jira-client.js";
import { markdownToAdf } from "../jira-markdown-to-adf.js";
import { defineJiraTool, WRITE_ANNOTATIONS } from "../jira-tool.js";
import {
  accountId,
  issueKey,
  labelName,
  markdownText,
  projectKey,
  shortName,
  summaryText,
} from "../jira-validation.js";

/** An issue type, priority or similar given as a numeric id or as a name. */
export const byIdOrName = (value: string) => (/^\d+$/.test(value) ? { id: value } : { name: value });

export const isoDate = z.iso.date().describe("YYYY-MM-DD");

export const jiraCreateIssue = defineJiraTool({
  name: "jira_create_issue",
  title: "Create an issue",
  description:
    "Create a Jira issue. The description is markdown (converted to Atlassian Document Format). jira_get_project lists the issue types. Not idempotent: calling twice creates two issues.",
  input: z.object({
    projectKey: projectKey.describe("Project key, e.g. OPS."),
    issueType: shortName.describe("Issue type name (Task, Bug, Story, ...) or id."),
    summary: summaryText,
    description: markdownText.optional(),
    labels: z.array(labelName).max(20).optional(),
    priority: shortName.optional().describe("Priority name (Highest, High, Medium, ...) or id."),
    assigneeAccountId: accountId.optional(),
    parentKey: issueKey.optional().describe("Parent issue (an epic, or the parent of a subtask)."),
    components: z.array(shortName).max(10).optional().describe("Component names."),
    dueDate: isoDate.optional(),
  }),
  output: z.object({ key: z.string(), id: z.string(), url: z.string().nullable() }),
  annotations: WRITE_ANNOTATIONS,
  describeCall: (input) => ({
    summary: `Create a ${input.issueType} in ${input.projectKey}: "${input.summary}"`,
    targets: [
      input.projectKey,
      ...(input.parentKey && projectOfIssueKey(input.parentKey) !== input.projectKey
        ? [projectOfIssueKey(input.parentKey)]
        : []),
    ],
  }),
  async execute(input, ctx) {
    const { allowlist } = ctx.client;
    allowlist.assertProject(input.projectKey, ctx.approvedTargets);
    if (input.parentKey) allowlist.assertProject(projectOfIssueKey(input.parentKey), ctx.approvedTargets);
    const fields: Record<string, unknown> = {
      project: { key: input.projectKey },
      issuetype: byIdOrName(input.issueType),
      summary: input.summary,
      ...(input.description === undefined ? {} : { description: markdownToAdf(input.description) }),
      ...(input.labels ? { labels: input.labels } : {}),
      ...(input.priority ? { priority: byIdOrName(input.priority) } : {}),
      ...(input.assigneeAccountId ? { assignee: { accountId: input.assigneeAccountId } } : {}),
      ...(input.parentKey ? { parent: { key: input.parentKey } } : {}),
      ...(input.components ? { components: input.components.map((name) => ({ name })) } : {}),
      ...(input.dueDate ? { duedate: input.dueDate } : {}),
    };
    const response = await jiraRequest(
      ctx,
      { method: "POST", path: "/rest/api/3/issue", body: { fields } },
      createdIssueSchema,
    );
    return { key: response.data.key, id: response.data.id, url: browseUrl(ctx.client, response.data.key) };
  },
});
