import { READ_ANNOTATIONS, sanitizeUntrustedText } from "@switchyard/core";
import { z } from "zod";
import { projectSchema, projectStatusesSchema } from "../jira-api.js";
import { jiraRequest } from "../jira-client.js";
import { projectPath } from "../jira-issues.js";
import {
  PROJECT_DESCRIPTION_CHARS,
  projectSummaryOutput,
  statusOutput,
  toProjectSummary,
  toStatus,
  toUser,
  untrustedText,
  userOutput,
} from "../jira-output.js";
import { defineJiraTool } from "../jira-tool.js";
import { projectKey } from "../jira-validation.js";

const issueTypeOutput = z.object({
  id: z.string(),
  name: z.string(),
  subtask: z.boolean(),
  hierarchyLevel: z.number().int().nullable().describe("-1 subtask, 0 standard, 1 epic."),
  statuses: z.array(statusOutput).describe("Statuses issues of this type can have."),
});

export const jiraGetProject = defineJiraTool({
  name: "jira_get_project",
  title: "Get a project",
  description:
    "Get one Jira project: its lead, description, issue types and the statuses each issue type can have (what jira_create_issue and jira_transition_issue accept).",
  input: z.object({ projectKey: projectKey.describe("Project key, e.g. OPS.") }),
  output: projectSummaryOutput.extend({
    description: z.string().nullable().describe("Untrusted text, sanitised, capped, in <untrusted-content>."),
    lead: userOutput,
    category: z.string().nullable(),
    issueTypes: z.array(issueTypeOutput),
  }),
  annotations: READ_ANNOTATIONS,
  async execute(input, ctx) {
    ctx.client.allowlist.assertProject(input.projectKey);
    const [project, statuses] = await Promise.all([
      jiraRequest(
        ctx,
        {
          method: "GET",
          path: projectPath(input.projectKey),
          query: { expand: "description,lead,issueTypes" },
        },
        projectSchema,
      ),
      jiraRequest(
        ctx,
        { method: "GET", path: projectPath(input.projectKey, "/statuses") },
        projectStatusesSchema,
      ),
    ]);
    const statusesByType = new Map(statuses.data.map((entry) => [entry.id, entry.statuses]));
    const issueTypes = (project.data.issueTypes ?? []).map((type) => ({
      id: type.id,
      name: sanitizeUntrustedText(type.name),
      subtask: type.subtask ?? false,
      hierarchyLevel: type.hierarchyLevel ?? null,
      statuses: (statusesByType.get(type.id) ?? []).map(toStatus),
    }));
    // Types only /statuses knows (the project read may hide some) are listed too.
    for (const entry of statuses.data) {
      if (!issueTypes.some((type) => type.id === entry.id)) {
        issueTypes.push({
          id: entry.id,
          name: sanitizeUntrustedText(entry.name),
          subtask: entry.subtask ?? false,
          hierarchyLevel: null,
          statuses: entry.statuses.map(toStatus),
        });
      }
    }
    return {
      ...toProjectSummary(project.data, ctx.client),
      description: untrustedText(project.data.description, PROJECT_DESCRIPTION_CHARS),
      lead: toUser(project.data.lead),
      category: project.data.projectCategory
        ? sanitizeUntrustedText(project.data.projectCategory.name)
        : null,
      issueTypes,
    };
  },
});
