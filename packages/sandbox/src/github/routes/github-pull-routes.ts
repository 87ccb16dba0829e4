import {
  type GithubContext,
  type GithubRoute,
  notFound,
  type ValidationErrorItem,
  validationFailed,
} from "../github-http.js";
import type { IssueRecord, PullRecord, RepoRecord } from "../github-model.js";
import { actingLogin } from "./github-account-routes.js";

/** Pull requests: list, get, create, files and reviews. */

const PULL_DOCS = "https://docs.github.com/rest/pulls/pulls";

type PullIssue = IssueRecord & { readonly pull: PullRecord };

const pullsOf = (repo: RepoRecord): PullIssue[] =>
  [...repo.issues.values()].filter((issue): issue is PullIssue => issue.pull !== undefined);

function pullIssue(ctx: GithubContext, repo: RepoRecord): PullIssue {
  const issue = ctx.issue(repo, "pull_number");
  if (!issue.pull) throw notFound();
  return issue as PullIssue;
}

/** `owner:branch` or `branch` (this repository's owner). */
function splitHead(head: string, repo: RepoRecord): { owner: string; ref: string } {
  const colon = head.indexOf(":");
  return colon === -1
    ? { owner: repo.owner, ref: head }
    : { owner: head.slice(0, colon), ref: head.slice(colon + 1) };
}

function listPulls(ctx: GithubContext, repo: RepoRecord): PullIssue[] {
  const state = ctx.query("state") ?? "open";
  const head = ctx.query("head");
  const base = ctx.query("base");
  const wantedHead = head === undefined ? undefined : splitHead(head, repo);
  const filtered = pullsOf(repo).filter((issue) => {
    if (state !== "all" && issue.state !== state) return false;
    if (
      wantedHead &&
      (issue.pull.headOwner.toLowerCase() !== wantedHead.owner.toLowerCase() ||
        issue.pull.headRef !== wantedHead.ref)
    ) {
      return false;
    }
    if (base !== undefined && issue.pull.baseRef !== base) return false;
    return true;
  });
  const sort = ctx.query("sort") ?? "created";
  const key = (issue: PullIssue): string | number =>
    sort === "updated" ? issue.updatedAt : sort === "popularity" ? issue.comments.length : issue.createdAt;
  const sorted = filtered.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.number - b.number));
  // GitHub: desc by default when sorting by created (or not at all), asc otherwise; long-running means oldest first.
  const direction =
    ctx.query("direction") ?? (sort === "created" ? "desc" : sort === "long-running" ? "asc" : "asc");
  return direction === "asc" ? sorted : sorted.reverse();
}

export const pullRoutes: readonly GithubRoute[] = [
  {
    method: "GET",
    path: "/repos/:owner/:repo/pulls",
    resource: "core",
    docs: `${PULL_DOCS}#list-pull-requests`,
    handle: (ctx) => {
      const repo = ctx.repo();
      const page = ctx.paginate(listPulls(ctx, repo), { linkPath: `/repositories/${repo.id}/pulls` });
      return { body: page.items.map((issue) => ctx.wire.pull(repo, issue)), headers: page.headers };
    },
  },
  {
    method: "POST",
    path: "/repos/:owner/:repo/pulls",
    resource: "core",
    docs: `${PULL_DOCS}#create-a-pull-request`,
    handle: async (ctx) => {
      const repo = ctx.repo();
      const body = await ctx.body();
      const errors: ValidationErrorItem[] = [];
      for (const field of ["title", "head", "base"] as const) {
        const value = body[field];
        if (value === undefined || value === null || value === "") {
          errors.push({ resource: "PullRequest", field, code: "missing_field" });
        } else if (typeof value !== "string") {
          errors.push({ resource: "PullRequest", field, code: "invalid" });
        }
      }
      if (body.body !== undefined && body.body !== null && typeof body.body !== "string") {
        errors.push({ resource: "PullRequest", field: "body", code: "invalid" });
      }
      for (const field of ["draft", "maintainer_can_modify"] as const) {
        if (body[field] !== undefined && typeof body[field] !== "boolean") {
          errors.push({ resource: "PullRequest", field, code: "invalid" });
        }
      }
      if (errors.length > 0) throw validationFailed(errors);
      const head = splitHead(body.head as string, repo);
      const baseRef = body.base as string;
      const headSha =
        head.owner.toLowerCase() === repo.owner.toLowerCase() ? repo.branches.get(head.ref) : undefined;
      const baseSha = repo.branches.get(baseRef);
      if (!headSha) errors.push({ resource: "PullRequest", field: "head", code: "invalid" });
      if (!baseSha) errors.push({ resource: "PullRequest", field: "base", code: "invalid" });
      if (errors.length > 0 || !headSha || !baseSha) throw validationFailed(errors);
      if (headSha === baseSha) {
        throw validationFailed([
          {
            resource: "PullRequest",
            code: "custom",
            message: `No commits between ${baseRef} and ${head.ref}`,
          },
        ]);
      }
      const existing = pullsOf(repo).find(
        (issue) =>
          issue.state === "open" &&
          issue.pull.headRef === head.ref &&
          issue.pull.headOwner.toLowerCase() === head.owner.toLowerCase() &&
          issue.pull.baseRef === baseRef,
      );
      if (existing) {
        throw validationFailed([
          {
            resource: "PullRequest",
            code: "custom",
            message: `A pull request already exists for ${head.owner}:${head.ref}.`,
          },
        ]);
      }
      const issue = ctx.state.createIssue(
        repo,
        actingLogin(ctx),
        { title: body.title as string, body: (body.body as string | null | undefined) ?? null },
        {
          title: body.title as string,
          headOwner: repo.owner,
          headRef: head.ref,
          headSha,
          baseRef,
          baseSha,
          draft: body.draft === true,
          maintainerCanModify: body.maintainer_can_modify === true,
        },
      );
      return {
        status: 201,
        body: ctx.wire.pull(repo, issue, { detail: true }),
        headers: { location: `${ctx.links.api}/repos/${repo.owner}/${repo.name}/pulls/${issue.number}` },
      };
    },
  },
  {
    method: "GET",
    path: "/repos/:owner/:repo/pulls/:pull_number",
    resource: "core",
    docs: `${PULL_DOCS}#get-a-pull-request`,
    handle: (ctx) => {
      const repo = ctx.repo();
      return { body: ctx.wire.pull(repo, pullIssue(ctx, repo), { detail: true }) };
    },
  },
  {
    method: "GET",
    path: "/repos/:owner/:repo/pulls/:pull_number/files",
    resource: "core",
    docs: `${PULL_DOCS}#list-pull-requests-files`,
    handle: (ctx) => {
      const repo = ctx.repo();
      const issue = pullIssue(ctx, repo);
      const page = ctx.paginate(issue.pull.files.slice(0, 3000), {
        linkPath: `/repositories/${repo.id}/pulls/${issue.number}/files`,
      });
      return {
        body: page.items.map((file) => ctx.wire.pullFile(repo, issue.pull.headSha, file)),
        headers: page.headers,
      };
    },
  },
  {
    method: "GET",
    path: "/repos/:owner/:repo/pulls/:pull_number/reviews",
    resource: "core",
    docs: "https://docs.github.com/rest/pulls/reviews#list-reviews-for-a-pull-request",
    handle: (ctx) => {
      const repo = ctx.repo();
      const issue = pullIssue(ctx, repo);
      const page = ctx.paginate(issue.pull.reviews, {
        linkPath: `/repositories/${repo.id}/pulls/${issue.number}/reviews`,
      });
      return {
        body: page.items.map((review) => ctx.wire.review(repo, issue.number, review)),
        headers: page.headers,
      };
    },
  },
];
