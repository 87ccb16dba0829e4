import { markUntrusted, sanitizeUntrustedText } from "@switchyard/core";
import { z } from "zod";
import type {
  labelSchema,
  WireComment,
  WireCommit,
  WireIssue,
  WirePullRequest,
  WireRepository,
} from "./github-api.js";

/**
 * Compact output shapes and the mappers that fill them. Anyone with a GitHub account can write issue bodies,
 * comments and commit messages, so that text is sanitised, capped and wrapped as untrusted content; short
 * free text (titles, descriptions) is sanitised only.
 */

/** Long enough for a real issue description, short enough that a list of them fits the output budget. */
export const BODY_CHAR_CAP = 4000;
export const COMMIT_MESSAGE_CHAR_CAP = 1000;

/** Cuts text at `cap` characters (never inside a surrogate pair) and says how much was cut. */
export function capText(text: string, cap: number): string {
  if (text.length <= cap) return text;
  let end = cap;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}… [truncated ${text.length - end} characters]`;
}

/** Sanitises first, so invisible characters neither count against the cap nor survive it. */
export function untrustedBody(text: string | null | undefined, cap = BODY_CHAR_CAP): string | null {
  if (text === null || text === undefined || text === "") return null;
  return markUntrusted(capText(sanitizeUntrustedText(text), cap));
}

export const cleanTitle = (text: string) => sanitizeUntrustedText(text);
const cleanOptional = (text: string | null | undefined) =>
  text === null || text === undefined ? null : sanitizeUntrustedText(text);

const labelNames = (labels: readonly z.infer<typeof labelSchema>[]) =>
  labels
    .map((label) => (typeof label === "string" ? label : (label.name ?? "")))
    .filter((name) => name.length > 0)
    .map(sanitizeUntrustedText);

const logins = (users: readonly { login: string }[] | null | undefined) =>
  (users ?? []).map((user) => user.login);

const bodyField = z
  .string()
  .nullable()
  .describe("Untrusted text, sanitised, capped, in <untrusted-content>.");

/**
 * An issue as every issue tool returns it. Fields that would be null, false or empty (`stateReason` and
 * `closedAt` of an open issue, no labels, no assignees, not a pull request) are left out: in a list of 30
 * issues they were a sixth of the tokens and told a model nothing the missing key does not.
 */
export const issueOutput = z.object({
  number: z.number().int(),
  title: z.string(),
  state: z.string().describe("open or closed"),
  stateReason: z.string().optional().describe("completed, not_planned or reopened; absent when unset."),
  author: z.string().nullable(),
  labels: z.array(z.string()).optional().describe("Absent when the issue has none."),
  assignees: z.array(z.string()).optional().describe("Absent when nobody is assigned."),
  createdAt: z.string(),
  updatedAt: z.string(),
  closedAt: z.string().optional().describe("Absent while open."),
  comments: z.number().int(),
  url: z.string(),
  isPullRequest: z.boolean().optional().describe("Present (true) only for pull requests."),
  body: bodyField,
});
export type IssueOutput = z.infer<typeof issueOutput>;

/** Same fields without the body: list results stay small; get_issue has the body. */
export const issueSummaryOutput = issueOutput.omit({ body: true });

export function toIssue(issue: WireIssue): IssueOutput {
  const labels = labelNames(issue.labels);
  const assignees = logins(issue.assignees);
  return {
    number: issue.number,
    title: cleanTitle(issue.title),
    state: issue.state,
    ...(issue.state_reason ? { stateReason: issue.state_reason } : {}),
    author: issue.user?.login ?? null,
    ...(labels.length > 0 ? { labels } : {}),
    ...(assignees.length > 0 ? { assignees } : {}),
    createdAt: issue.created_at,
    updatedAt: issue.updated_at,
    ...(issue.closed_at ? { closedAt: issue.closed_at } : {}),
    comments: issue.comments,
    url: issue.html_url,
    ...(issue.pull_request !== undefined && issue.pull_request !== null ? { isPullRequest: true } : {}),
    body: untrustedBody(issue.body),
  };
}

export function toIssueSummary(issue: WireIssue): z.infer<typeof issueSummaryOutput> {
  const { body: _body, ...summary } = toIssue(issue);
  return summary;
}

/** `https://api.github.com/repos/acme/api` (or a GHES `/api/v3/repos/...`) -> `acme/api`. */
export function repositoryFromApiUrl(url: string): string | undefined {
  const match = /\/repos\/([^/]+)\/([^/?#]+)\/?$/.exec(url);
  return match ? `${match[1]}/${match[2]}` : undefined;
}

export const commentOutput = z.object({
  id: z.number().int(),
  author: z.string().nullable(),
  authorAssociation: z.string().nullable().describe("OWNER, MEMBER, CONTRIBUTOR, NONE, ..."),
  createdAt: z.string(),
  updatedAt: z.string(),
  url: z.string(),
  body: bodyField,
});

export function toComment(comment: WireComment): z.infer<typeof commentOutput> {
  return {
    id: comment.id,
    author: comment.user?.login ?? null,
    authorAssociation: comment.author_association ?? null,
    createdAt: comment.created_at,
    updatedAt: comment.updated_at,
    url: comment.html_url,
    body: untrustedBody(comment.body),
  };
}

export const pullRequestSummaryOutput = z.object({
  number: z.number().int(),
  title: z.string(),
  state: z.string().describe("open or closed"),
  draft: z.boolean(),
  merged: z.boolean(),
  author: z.string().nullable(),
  head: z.string().describe("Source branch (owner:branch)."),
  base: z.string().describe("Target branch."),
  labels: z.array(z.string()),
  assignees: z.array(z.string()),
  requestedReviewers: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  closedAt: z.string().nullable(),
  mergedAt: z.string().nullable(),
  url: z.string(),
});

export function toPullRequestSummary(pull: WirePullRequest): z.infer<typeof pullRequestSummaryOutput> {
  return {
    number: pull.number,
    title: cleanTitle(pull.title),
    state: pull.state,
    draft: pull.draft ?? false,
    merged: pull.merged ?? (pull.merged_at !== null && pull.merged_at !== undefined),
    author: pull.user?.login ?? null,
    head: pull.head.label ?? pull.head.ref,
    base: pull.base.ref,
    labels: labelNames(pull.labels),
    assignees: logins(pull.assignees),
    requestedReviewers: logins(pull.requested_reviewers),
    createdAt: pull.created_at,
    updatedAt: pull.updated_at,
    closedAt: pull.closed_at ?? null,
    mergedAt: pull.merged_at ?? null,
    url: pull.html_url,
  };
}

export const commitOutput = z.object({
  sha: z.string(),
  message: z.string().describe("Untrusted text, sanitised, capped, in <untrusted-content>."),
  author: z.string().nullable().describe("GitHub login, else the git author name."),
  date: z.string().nullable(),
  url: z.string(),
});

export function toCommit(commit: WireCommit): z.infer<typeof commitOutput> {
  return {
    sha: commit.sha,
    message: untrustedBody(commit.commit.message, COMMIT_MESSAGE_CHAR_CAP) ?? markUntrusted(""),
    author: commit.author?.login ?? cleanOptional(commit.commit.author?.name),
    date: commit.commit.author?.date ?? commit.commit.committer?.date ?? null,
    url: commit.html_url,
  };
}

export const repositoryOutput = z.object({
  fullName: z.string(),
  description: z.string().nullable(),
  private: z.boolean(),
  visibility: z.string().nullable(),
  defaultBranch: z.string().nullable(),
  language: z.string().nullable(),
  topics: z.array(z.string()),
  stars: z.number().int().nullable(),
  forks: z.number().int().nullable(),
  openIssues: z.number().int().nullable().describe("Open issues plus open pull requests."),
  archived: z.boolean(),
  fork: z.boolean(),
  hasIssues: z.boolean().nullable(),
  license: z.string().nullable(),
  pushedAt: z.string().nullable(),
  url: z.string(),
});

export function toRepository(repository: WireRepository): z.infer<typeof repositoryOutput> {
  return {
    fullName: repository.full_name,
    description: cleanOptional(repository.description),
    private: repository.private,
    visibility: repository.visibility ?? null,
    defaultBranch: repository.default_branch ?? null,
    language: repository.language ?? null,
    topics: (repository.topics ?? []).map(sanitizeUntrustedText),
    stars: repository.stargazers_count ?? null,
    forks: repository.forks_count ?? null,
    openIssues: repository.open_issues_count ?? null,
    archived: repository.archived ?? false,
    fork: repository.fork ?? false,
    hasIssues: repository.has_issues ?? null,
    license: repository.license?.spdx_id ?? null,
    pushedAt: repository.pushed_at ?? null,
    url: repository.html_url,
  };
}
