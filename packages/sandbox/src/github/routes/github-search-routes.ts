import type { GithubContext, GithubRoute } from "../github-http.js";
import { validationFailed } from "../github-http.js";
import type { FileRecord, IssueRecord, RepoRecord } from "../github-model.js";
import { fullName } from "../github-model.js";
import {
  CODE_QUALIFIERS,
  ISSUE_QUALIFIERS,
  inScope,
  type ParsedQuery,
  parseSearchQuery,
  scoreFile,
  scoreIssue,
} from "../github-search.js";
import { blobSha, sha1 } from "../github-seed.js";
import { encodePath } from "../github-serialize.js";

/** GET /search/issues and GET /search/code over the caller's visible repositories. */

const SEARCH_CEILING = 1000;

function readQuery(ctx: GithubContext): string {
  const q = ctx.query("q");
  if (q === undefined || q.trim() === "")
    throw validationFailed([{ resource: "Search", field: "q", code: "missing" }]);
  return q;
}

function scopedRepos(ctx: GithubContext, query: ParsedQuery): RepoRecord[] {
  return ctx.state.visibleRepos(ctx.principal).filter((repo) => inScope(query, repo));
}

interface IssueHit {
  readonly repo: RepoRecord;
  readonly issue: IssueRecord;
  readonly score: number;
}

function sortIssueHits(ctx: GithubContext, hits: IssueHit[]): IssueHit[] {
  const sort = ctx.query("sort");
  const key = (hit: IssueHit): string | number => {
    switch (sort) {
      case "comments":
      case "interactions":
        return hit.issue.comments.length;
      case "created":
        return hit.issue.createdAt;
      case "updated":
        return hit.issue.updatedAt;
      case "reactions":
        return 0;
      default:
        return hit.score;
    }
  };
  const tieBreak = (a: IssueHit, b: IssueHit) =>
    a.issue.updatedAt < b.issue.updatedAt
      ? 1
      : a.issue.updatedAt > b.issue.updatedAt
        ? -1
        : b.issue.id - a.issue.id;
  const ascending = sort !== undefined && ctx.query("order") === "asc";
  return hits.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka === kb) return tieBreak(a, b);
    return (ka < kb ? -1 : 1) * (ascending ? 1 : -1);
  });
}

export const searchRoutes: readonly GithubRoute[] = [
  {
    method: "GET",
    path: "/search/issues",
    resource: "search",
    docs: "https://docs.github.com/rest/search/search#search-issues-and-pull-requests",
    handle: (ctx) => {
      const query = parseSearchQuery(readQuery(ctx), ISSUE_QUALIFIERS);
      const hits: IssueHit[] = [];
      for (const repo of scopedRepos(ctx, query)) {
        for (const issue of repo.issues.values()) {
          const score = scoreIssue(query, issue, repo);
          if (score > 0) hits.push({ repo, issue, score });
        }
      }
      const sorted = sortIssueHits(ctx, hits);
      const page = ctx.paginate(sorted, { ceiling: SEARCH_CEILING });
      return {
        body: {
          total_count: sorted.length,
          incomplete_results: false,
          items: page.items.map((hit) => ({ ...ctx.wire.issue(hit.repo, hit.issue), score: hit.score })),
        },
        headers: page.headers,
      };
    },
  },
  {
    method: "GET",
    path: "/search/code",
    resource: "code_search",
    docs: "https://docs.github.com/rest/search/search#search-code",
    handle: (ctx) => {
      const query = parseSearchQuery(readQuery(ctx), CODE_QUALIFIERS);
      if (query.terms.length === 0) {
        throw validationFailed([
          {
            resource: "Search",
            field: "q",
            code: "invalid",
            message: "Must include at least one search term.",
          },
        ]);
      }
      const hits: { repo: RepoRecord; file: FileRecord; score: number }[] = [];
      for (const repo of scopedRepos(ctx, query)) {
        for (const file of repo.files.values()) {
          const score = scoreFile(query, file);
          if (score > 0) hits.push({ repo, file, score });
        }
      }
      hits.sort(
        (a, b) =>
          b.score - a.score ||
          (fullName(a.repo) < fullName(b.repo) ? -1 : fullName(a.repo) > fullName(b.repo) ? 1 : 0) ||
          (a.file.path < b.file.path ? -1 : 1),
      );
      const page = ctx.paginate(hits, { ceiling: SEARCH_CEILING });
      return {
        body: {
          total_count: hits.length,
          incomplete_results: false,
          items: page.items.map(({ repo, file, score }) => {
            const sha = blobSha(file.content);
            const head = repo.branches.get(repo.defaultBranch) ?? sha1(`head:${repo.id}`);
            const path = encodePath(file.path);
            return {
              name: file.path.split("/").pop() ?? file.path,
              path: file.path,
              sha,
              url: `${ctx.links.api}/repositories/${repo.id}/contents/${path}?ref=${head}`,
              git_url: `${ctx.links.api}/repositories/${repo.id}/git/blobs/${sha}`,
              html_url: `${ctx.links.html}/${fullName(repo)}/blob/${head}/${path}`,
              repository: ctx.wire.minimalRepo(repo),
              score,
            };
          }),
        },
        headers: page.headers,
      };
    },
  },
];
