import { markUntrusted, sanitizeUntrustedText } from "@switchyard/core";
import { z } from "zod";
import { adfToMarkdown } from "./jira-adf-to-markdown.js";
import type {
  WireComment,
  WireIssue,
  WireProject,
  WireStatus,
  WireTransition,
  WireUser,
} from "./jira-api.js";
import { browseUrl, type JiraClient } from "./jira-client.js";

/**
 * Compact output shapes and the mappers that fill them. Summaries, descriptions and comments are written by
 * anyone who can edit an issue, so that text is sanitised, capped and wrapped as untrusted content;
 * descriptions and comments are converted from ADF to markdown first. Short names (statuses, labels, display
 * names) are sanitised only.
 */

export const DEFAULT_DESCRIPTION_CHARS = 6000;
export const DEFAULT_COMMENT_CHARS = 2000;

/** Cuts text at `cap` characters (never inside a surrogate pair) and says how much was cut. */
export function capText(text: string, cap: number): string {
  if (text.length <= cap) return text;
  let end = cap;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}… [truncated ${text.length - end} characters]`;
}

/** Sanitises first, so invisible characters neither count against the cap nor survive it. */
export function untrustedText(text: string | null | undefined, cap: number): string | null {
  if (text === null || text === undefined || text.trim() === "") return null;
  return markUntrusted(capText(sanitizeUntrustedText(text), cap));
}

/** ADF (or a v2 plain string) as capped, untrusted markdown. */
export function untrustedDocument(document: unknown, cap: number): string | null {
  return untrustedText(adfToMarkdown(document), cap);
}

const clean = (text: string | null | undefined) =>
  text === null || text === undefined ? null : sanitizeUntrustedText(text);

const untrustedField = z
  .string()
  .nullable()
  .describe("Untrusted text, sanitised, capped, in <untrusted-content>.");

export const userOutput = z
  .object({ accountId: z.string(), displayName: z.string().nullable() })
  .nullable()
  .describe("An Atlassian account; null when unassigned or hidden.");

export function toUser(user: WireUser | null | undefined): z.infer<typeof userOutput> {
  return user ? { accountId: user.accountId, displayName: clean(user.displayName) } : null;
}

export const issueSummaryOutput = z.object({
  key: z.string(),
  id: z.string(),
  summary: z.string().describe("Untrusted text, sanitised, in <untrusted-content>."),
  status: z.string().nullable(),
  statusCategory: z.string().nullable().describe("new, indeterminate or done"),
  issueType: z.string().nullable(),
  priority: z.string().nullable(),
  assignee: userOutput,
  reporter: userOutput,
  project: z.string().nullable().describe("Project key."),
  parent: z.string().nullable().describe("Parent issue key (epic or parent of a subtask)."),
  labels: z.array(z.string()),
  resolution: z.string().nullable(),
  created: z.string().nullable(),
  updated: z.string().nullable(),
  url: z.string().nullable(),
});
export type IssueSummaryOutput = z.infer<typeof issueSummaryOutput>;

export const issueOutput = issueSummaryOutput.extend({
  components: z.array(z.string()),
  dueDate: z.string().nullable(),
  description: untrustedField.describe("Markdown converted from ADF; untrusted, sanitised, capped."),
});

/** The fields every issue output needs: request exactly these (search/jql returns only `id` otherwise). */
export const SUMMARY_FIELDS = [
  "summary",
  "status",
  "issuetype",
  "priority",
  "assignee",
  "reporter",
  "project",
  "parent",
  "labels",
  "resolution",
  "created",
  "updated",
] as const;
export const ISSUE_FIELDS = [...SUMMARY_FIELDS, "components", "duedate", "description"] as const;

export function toIssueSummary(issue: WireIssue, client: JiraClient): IssueSummaryOutput {
  const fields = issue.fields;
  return {
    key: issue.key,
    id: issue.id,
    summary: markUntrusted(fields.summary ?? ""),
    status: clean(fields.status?.name),
    statusCategory: fields.status?.statusCategory?.key ?? null,
    issueType: clean(fields.issuetype?.name),
    priority: clean(fields.priority?.name),
    assignee: toUser(fields.assignee),
    reporter: toUser(fields.reporter),
    project: fields.project?.key ?? null,
    parent: fields.parent?.key ?? null,
    labels: (fields.labels ?? []).map(sanitizeUntrustedText),
    resolution: clean(fields.resolution?.name),
    created: fields.created ?? null,
    updated: fields.updated ?? null,
    url: browseUrl(client, issue.key),
  };
}

export function toIssue(issue: WireIssue, client: JiraClient): z.infer<typeof issueOutput> {
  return {
    ...toIssueSummary(issue, client),
    components: (issue.fields.components ?? []).map((component) => sanitizeUntrustedText(component.name)),
    dueDate: issue.fields.duedate ?? null,
    description: untrustedDocument(issue.fields.description, client.text.descriptionChars),
  };
}

export const commentOutput = z.object({
  id: z.string(),
  author: userOutput,
  created: z.string(),
  updated: z.string().nullable(),
  body: untrustedField.describe("Markdown converted from ADF; untrusted, sanitised, capped."),
  url: z.string().nullable(),
});

export function toComment(comment: WireComment, issueKey: string, client: JiraClient) {
  const url = browseUrl(client, issueKey);
  return {
    id: comment.id,
    author: toUser(comment.author),
    created: comment.created,
    updated: comment.updated ?? null,
    body: untrustedDocument(comment.body, client.text.commentChars),
    url: url ? `${url}?focusedCommentId=${comment.id}` : null,
  };
}

export const transitionOutput = z.object({
  id: z.string(),
  name: z.string(),
  toStatus: z.string().nullable(),
  toStatusCategory: z.string().nullable(),
});

export function toTransition(transition: WireTransition): z.infer<typeof transitionOutput> {
  return {
    id: transition.id,
    name: sanitizeUntrustedText(transition.name),
    toStatus: clean(transition.to?.name),
    toStatusCategory: transition.to?.statusCategory?.key ?? null,
  };
}

export const statusOutput = z.object({
  id: z.string().nullable(),
  name: z.string(),
  category: z.string().nullable().describe("new, indeterminate or done"),
});

export function toStatus(status: WireStatus): z.infer<typeof statusOutput> {
  return {
    id: status.id ?? null,
    name: sanitizeUntrustedText(status.name),
    category: status.statusCategory?.key ?? null,
  };
}

export const projectSummaryOutput = z.object({
  key: z.string(),
  id: z.string(),
  name: z.string(),
  projectType: z.string().nullable().describe("software, business or service_desk"),
  teamManaged: z.boolean().nullable().describe("True for team-managed (next-gen) projects."),
  archived: z.boolean(),
  url: z.string().nullable(),
});

export function toProjectSummary(project: WireProject, client: JiraClient) {
  return {
    key: project.key,
    id: project.id,
    name: sanitizeUntrustedText(project.name),
    projectType: project.projectTypeKey ?? null,
    teamManaged: project.simplified ?? (project.style ? project.style === "next-gen" : null),
    archived: project.archived ?? false,
    url: client.siteUrl ? `${client.siteUrl}/browse/${project.key}` : null,
  };
}

export const PROJECT_DESCRIPTION_CHARS = 2000;
