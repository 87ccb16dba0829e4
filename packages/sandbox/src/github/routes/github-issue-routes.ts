import {
  type GithubContext,
  GithubError,
  type GithubRoute,
  type ValidationErrorItem,
  validationFailed,
} from "../github-http.js";
import type { IssueRecord, RepoRecord } from "../github-model.js";
import { actingLogin } from "./github-account-routes.js";

/** Issues (pull requests included, as GitHub lists them) and their comments. */

const ISSUE_DOCS = "https://docs.github.com/rest/issues/issues";
const COMMENT_DOCS = "https://docs.github.com/rest/issues/comments";

function compareBy(sort: string, a: IssueRecord, b: IssueRecord): number {
  if (sort === "comments") return a.comments.length - b.comments.length || a.number - b.number;
  const key = sort === "updated" ? "updatedAt" : "createdAt";
  return a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : a.number - b.number;
}

function listIssues(ctx: GithubContext, repo: RepoRecord): IssueRecord[] {
  const state = ctx.query("state") ?? "open";
  const labels = (ctx.query("labels") ?? "")
    .split(",")
    .map((label) => label.trim().toLowerCase())
    .filter((label) => label.length > 0);
  const assignee = ctx.query("assignee");
  const creator = ctx.query("creator")?.toLowerCase();
  const mentioned = ctx.query("mentioned")?.toLowerCase();
  const milestone = ctx.query("milestone");
  const since = ctx.query("since");
  const sinceMs = since === undefined ? Number.NaN : Date.parse(since);
  const filtered = [...repo.issues.values()].filter((issue) => {
    if (state !== "all" && issue.state !== state) return false;
    if (
      labels.length > 0 &&
      !labels.every((label) => issue.labels.some((name) => name.toLowerCase() === label))
    ) {
      return false;
    }
    if (assignee === "none" && issue.assignees.length > 0) return false;
    if (assignee === "*" && issue.assignees.length === 0) return false;
    if (
      assignee !== undefined &&
      assignee !== "none" &&
      assignee !== "*" &&
      !issue.assignees.some((login) => login.toLowerCase() === assignee.toLowerCase())
    ) {
      return false;
    }
    if (creator !== undefined && issue.userLogin.toLowerCase() !== creator) return false;
    if (mentioned !== undefined && !(issue.body ?? "").toLowerCase().includes(`@${mentioned}`)) return false;
    if (milestone === "none" && issue.milestone !== null) return false;
    if (milestone === "*" && issue.milestone === null) return false;
    if (milestone !== undefined && /^\d+$/.test(milestone) && issue.milestone !== Number(milestone))
      return false;
    if (!Number.isNaN(sinceMs) && Date.parse(issue.updatedAt) < sinceMs) return false;
    return true;
  });
  const sort = ctx.query("sort") ?? "created";
  const sorted = filtered.sort((a, b) => compareBy(sort, a, b));
  return ctx.query("direction") === "asc" ? sorted : sorted.reverse();
}

const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === "string");

/** Labels come as names or `{ name }` objects. */
function labelNames(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const names: string[] = [];
  for (const item of value) {
    if (typeof item === "string") names.push(item);
    else if (
      typeof item === "object" &&
      item !== null &&
      typeof (item as { name?: unknown }).name === "string"
    ) {
      names.push((item as { name: string }).name);
    } else return undefined;
  }
  return names;
}

interface IssueFields {
  title?: string;
  body?: string | null;
  labels?: string[];
  assignees?: string[];
  milestone?: number | null;
}

/** Validates the fields create and update share; collects every problem, as GitHub reports them together. */
function readIssueFields(ctx: GithubContext, repo: RepoRecord, body: Record<string, unknown>): IssueFields {
  const errors: ValidationErrorItem[] = [];
  const fields: IssueFields = {};
  if (body.title !== undefined) {
    if (typeof body.title === "number") fields.title = String(body.title);
    else if (typeof body.title !== "string")
      errors.push({ resource: "Issue", field: "title", code: "invalid" });
    else if (body.title.trim() === "")
      errors.push({ resource: "Issue", field: "title", code: "missing_field" });
    else fields.title = body.title;
  }
  if (body.body !== undefined) {
    if (body.body === null || typeof body.body === "string") fields.body = body.body;
    else errors.push({ resource: "Issue", field: "body", code: "invalid" });
  }
  if (body.labels !== undefined) {
    const names = labelNames(body.labels);
    if (names === undefined) errors.push({ resource: "Issue", field: "labels", code: "invalid" });
    else fields.labels = [...new Set(names)];
  }
  const rawAssignees =
    body.assignees !== undefined
      ? body.assignees
      : typeof body.assignee === "string"
        ? [body.assignee]
        : undefined;
  if (rawAssignees !== undefined) {
    if (!isStringArray(rawAssignees)) {
      errors.push({ resource: "Issue", field: "assignees", code: "invalid" });
    } else {
      const unknown = rawAssignees.filter((login) => ctx.state.user(login)?.type !== "User");
      for (const login of unknown)
        errors.push({ resource: "Issue", field: "assignees", code: "invalid", value: login });
      if (unknown.length === 0)
        fields.assignees = rawAssignees.map((login) => ctx.state.user(login)?.login ?? login);
    }
  }
  if (body.milestone !== undefined) {
    if (body.milestone === null) fields.milestone = null;
    else if (typeof body.milestone === "number" && repo.milestones.has(body.milestone))
      fields.milestone = body.milestone;
    else errors.push({ resource: "Issue", field: "milestone", code: "invalid", value: body.milestone });
  }
  if (errors.length > 0) throw validationFailed(errors);
  return fields;
}

export const issueRoutes: readonly GithubRoute[] = [
  {
    method: "GET",
    path: "/repos/:owner/:repo/issues",
    resource: "core",
    docs: `${ISSUE_DOCS}#list-repository-issues`,
    handle: (ctx) => {
      const repo = ctx.repo();
      const page = ctx.paginate(listIssues(ctx, repo), { linkPath: `/repositories/${repo.id}/issues` });
      return { body: page.items.map((issue) => ctx.wire.issue(repo, issue)), headers: page.headers };
    },
  },
  {
    method: "POST",
    path: "/repos/:owner/:repo/issues",
    resource: "core",
    docs: `${ISSUE_DOCS}#create-an-issue`,
    handle: async (ctx) => {
      const repo = ctx.repo();
      const body = await ctx.body();
      if (!repo.hasIssues) throw new GithubError(410, "Issues are disabled for this repo");
      if (body.title === undefined || body.title === null) {
        throw validationFailed([{ resource: "Issue", field: "title", code: "missing_field" }]);
      }
      const fields = readIssueFields(ctx, repo, body);
      const issue = ctx.state.createIssue(repo, actingLogin(ctx), {
        title: fields.title ?? "",
        ...(fields.body === undefined ? {} : { body: fields.body }),
        ...(fields.labels ? { labels: fields.labels } : {}),
        ...(fields.assignees ? { assignees: fields.assignees } : {}),
        ...(fields.milestone === undefined ? {} : { milestone: fields.milestone }),
      });
      return {
        status: 201,
        body: ctx.wire.issue(repo, issue, { detail: true }),
        headers: { location: `${ctx.links.api}/repos/${repo.owner}/${repo.name}/issues/${issue.number}` },
      };
    },
  },
  {
    method: "GET",
    path: "/repos/:owner/:repo/issues/:issue_number",
    resource: "core",
    docs: `${ISSUE_DOCS}#get-an-issue`,
    handle: (ctx) => {
      const repo = ctx.repo();
      return { body: ctx.wire.issue(repo, ctx.issue(repo), { detail: true }) };
    },
  },
  {
    method: "PATCH",
    path: "/repos/:owner/:repo/issues/:issue_number",
    resource: "core",
    docs: `${ISSUE_DOCS}#update-an-issue`,
    handle: async (ctx) => {
      const repo = ctx.repo();
      const issue = ctx.issue(repo);
      const body = await ctx.body();
      const errors: ValidationErrorItem[] = [];
      if (body.state !== undefined && body.state !== "open" && body.state !== "closed") {
        errors.push({ resource: "Issue", field: "state", code: "invalid", value: body.state });
      }
      const reasons = ["completed", "not_planned", "reopened"];
      if (
        body.state_reason !== undefined &&
        body.state_reason !== null &&
        !reasons.includes(String(body.state_reason))
      ) {
        errors.push({ resource: "Issue", field: "state_reason", code: "invalid", value: body.state_reason });
      }
      if (errors.length > 0) throw validationFailed(errors);
      const fields = readIssueFields(ctx, repo, body);
      const now = ctx.state.nowIso();
      if (fields.title !== undefined) issue.title = fields.title;
      if (fields.body !== undefined) issue.body = fields.body;
      if (fields.labels !== undefined) issue.labels = fields.labels;
      if (fields.assignees !== undefined) issue.assignees = fields.assignees;
      if (fields.milestone !== undefined) issue.milestone = fields.milestone;
      const reason = body.state_reason as IssueRecord["stateReason"] | undefined;
      if (body.state === "closed" && issue.state !== "closed") {
        issue.state = "closed";
        issue.closedAt = now;
        issue.closedBy = actingLogin(ctx);
        issue.stateReason = reason ?? "completed";
      } else if (body.state === "open" && issue.state !== "open") {
        issue.state = "open";
        issue.closedAt = null;
        issue.closedBy = null;
        issue.stateReason = "reopened";
      } else if (reason !== undefined && issue.state === "closed" && reason !== "reopened") {
        issue.stateReason = reason;
      }
      issue.updatedAt = now;
      repo.updatedAt = now;
      return { body: ctx.wire.issue(repo, issue, { detail: true }) };
    },
  },
  {
    method: "GET",
    path: "/repos/:owner/:repo/issues/:issue_number/comments",
    resource: "core",
    docs: `${COMMENT_DOCS}#list-issue-comments`,
    handle: (ctx) => {
      const repo = ctx.repo();
      const issue = ctx.issue(repo);
      const since = ctx.query("since");
      const sinceMs = since === undefined ? Number.NaN : Date.parse(since);
      const comments = issue.comments.filter(
        (comment) => Number.isNaN(sinceMs) || Date.parse(comment.updatedAt) >= sinceMs,
      );
      const page = ctx.paginate(comments, {
        linkPath: `/repositories/${repo.id}/issues/${issue.number}/comments`,
      });
      return {
        body: page.items.map((comment) => ctx.wire.comment(repo, issue, comment)),
        headers: page.headers,
      };
    },
  },
  {
    method: "POST",
    path: "/repos/:owner/:repo/issues/:issue_number/comments",
    resource: "core",
    docs: `${COMMENT_DOCS}#create-an-issue-comment`,
    handle: async (ctx) => {
      const repo = ctx.repo();
      const issue = ctx.issue(repo);
      const body = await ctx.body();
      if (body.body === undefined || body.body === null || body.body === "") {
        throw validationFailed([{ resource: "IssueComment", field: "body", code: "missing_field" }]);
      }
      if (typeof body.body !== "string") {
        throw validationFailed([{ resource: "IssueComment", field: "body", code: "invalid" }]);
      }
      if (issue.locked) throw new GithubError(403, "Unable to create comment because issue is locked.");
      const comment = ctx.state.addComment(repo, issue, actingLogin(ctx), body.body);
      return {
        status: 201,
        body: ctx.wire.comment(repo, issue, comment),
        headers: {
          location: `${ctx.links.api}/repos/${repo.owner}/${repo.name}/issues/comments/${comment.id}`,
        },
      };
    },
  },
];
