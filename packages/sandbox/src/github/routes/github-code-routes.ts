import {
  type GithubContext,
  GithubError,
  type GithubRoute,
  notFound,
  validationFailed,
} from "../github-http.js";
import type { CommitRecord, FileRecord, RepoRecord } from "../github-model.js";
import { blobSha, sha1 } from "../github-seed.js";

/** Commits, commit statuses, check runs and repository contents. */

const COMMIT_DOCS = "https://docs.github.com/rest/commits/commits";
const CONTENTS_DOCS = "https://docs.github.com/rest/repos/contents#get-repository-content";

const isEmpty = (repo: RepoRecord) => repo.commits.size === 0;

/** Every commit reachable from `sha`, newest first. */
function history(repo: RepoRecord, sha: string): CommitRecord[] {
  const seen = new Set<string>();
  const queue = [sha];
  const commits: CommitRecord[] = [];
  while (queue.length > 0) {
    const next = queue.shift() as string;
    if (seen.has(next)) continue;
    seen.add(next);
    const commit = repo.commits.get(next);
    if (!commit) continue;
    commits.push(commit);
    queue.push(...commit.parents);
  }
  return commits.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : a.sha < b.sha ? 1 : -1));
}

function refSha(ctx: GithubContext, repo: RepoRecord, ref: string): string {
  const sha = ctx.state.resolveRef(repo, ref);
  if (!sha) throw validationFailed([], `No commit found for SHA: ${ref}`);
  return sha;
}

/** Resolves `path` inside the tree: a file (symlinks to files are followed, as GitHub does), a directory, or nothing. */
function lookup(repo: RepoRecord, path: string): { file: FileRecord } | { dir: string } | undefined {
  const file = repo.files.get(path);
  if (file?.type === "symlink" && file.target !== undefined) {
    const dir = path.includes("/") ? path.slice(0, path.lastIndexOf("/") + 1) : "";
    const target = repo.files.get(`${dir}${file.target}`);
    if (target?.type === "file") return { file: target };
  }
  if (file) return { file };
  if (path === "" || [...repo.files.keys()].some((candidate) => candidate.startsWith(`${path}/`)))
    return { dir: path };
  return undefined;
}

function directoryEntries(
  ctx: GithubContext,
  repo: RepoRecord,
  ref: string,
  dir: string,
): Record<string, unknown>[] {
  const prefix = dir === "" ? "" : `${dir}/`;
  const children = new Map<string, { type: string; path: string; sha: string; size: number }>();
  for (const file of repo.files.values()) {
    if (!file.path.startsWith(prefix)) continue;
    const rest = file.path.slice(prefix.length);
    const name = rest.split("/")[0] as string;
    const path = `${prefix}${name}`;
    if (rest.includes("/")) {
      children.set(name, { type: "dir", path, sha: sha1(`tree:${repo.id}:${path}`), size: 0 });
    } else if (file.type === "submodule") {
      // GitHub lists submodules as "file" in directory listings, for backwards compatibility.
      children.set(name, { type: "file", path, sha: sha1(`submodule:${path}`), size: 0 });
    } else {
      children.set(name, { type: file.type, path, sha: blobSha(file.content), size: file.content.length });
    }
  }
  return [...children.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, entry]) => {
      const wire = ctx.wire.contentEntry(repo, ref, entry);
      return repo.files.get(entry.path)?.type === "submodule" ? { ...wire, download_url: null } : wire;
    });
}

function contents(ctx: GithubContext): { body: unknown } {
  const repo = ctx.repo();
  if (isEmpty(repo)) throw notFound("This repository is empty.");
  const ref = ctx.query("ref") ?? repo.defaultBranch;
  if (!ctx.state.resolveRef(repo, ref)) throw notFound(`No commit found for the ref ${ref}`);
  const path = (ctx.params.path ?? "").replace(/^\/+|\/+$/g, "");
  const found = lookup(repo, path);
  if (!found) throw notFound();
  if ("file" in found) return { body: ctx.wire.contentFile(repo, ref, found.file) };
  return { body: directoryEntries(ctx, repo, ref, found.dir) };
}

export const codeRoutes: readonly GithubRoute[] = [
  {
    method: "GET",
    path: "/repos/:owner/:repo/commits",
    resource: "core",
    docs: `${COMMIT_DOCS}#list-commits`,
    handle: (ctx) => {
      const repo = ctx.repo();
      if (isEmpty(repo)) throw new GithubError(409, "Git Repository is empty.");
      const ref = ctx.query("sha") ?? repo.defaultBranch;
      const start = ctx.state.resolveRef(repo, ref);
      if (!start) throw notFound(`No commit found for SHA: ${ref}`);
      const path = ctx.query("path")?.replace(/^\/+|\/+$/g, "");
      const author = ctx.query("author")?.toLowerCase();
      const since = ctx.query("since");
      const until = ctx.query("until");
      for (const [field, value] of [
        ["since", since],
        ["until", until],
      ] as const) {
        if (value !== undefined && Number.isNaN(Date.parse(value))) {
          throw validationFailed([{ resource: "Commit", field, code: "invalid" }]);
        }
      }
      const commits = history(repo, start).filter((commit) => {
        if (path && !commit.files.some((file) => file === path || file.startsWith(`${path}/`))) return false;
        if (
          author &&
          commit.authorLogin?.toLowerCase() !== author &&
          commit.authorEmail.toLowerCase() !== author
        ) {
          return false;
        }
        if (since !== undefined && Date.parse(commit.date) < Date.parse(since)) return false;
        if (until !== undefined && Date.parse(commit.date) > Date.parse(until)) return false;
        return true;
      });
      const page = ctx.paginate(commits, { linkPath: `/repositories/${repo.id}/commits` });
      return { body: page.items.map((commit) => ctx.wire.commit(repo, commit)), headers: page.headers };
    },
  },
  {
    method: "GET",
    path: "/repos/:owner/:repo/commits/*ref/status",
    resource: "core",
    docs: "https://docs.github.com/rest/commits/statuses#get-the-combined-status-for-a-specific-reference",
    handle: (ctx) => {
      const repo = ctx.repo();
      const sha = refSha(ctx, repo, ctx.param("ref"));
      const page = ctx.paginate(repo.statuses.get(sha) ?? []);
      return { body: ctx.wire.combinedStatus(repo, sha, page.items), headers: page.headers };
    },
  },
  {
    method: "GET",
    path: "/repos/:owner/:repo/commits/*ref/check-runs",
    resource: "core",
    docs: "https://docs.github.com/rest/checks/runs#list-check-runs-for-a-git-reference",
    handle: (ctx) => {
      const repo = ctx.repo();
      const sha = refSha(ctx, repo, ctx.param("ref"));
      const name = ctx.query("check_name");
      const status = ctx.query("status");
      const runs = (repo.checkRuns.get(sha) ?? []).filter(
        (run) => (name === undefined || run.name === name) && (status === undefined || run.status === status),
      );
      const page = ctx.paginate(runs);
      return {
        body: {
          total_count: runs.length,
          check_runs: page.items.map((run) => ctx.wire.checkRun(repo, sha, run)),
        },
        headers: page.headers,
      };
    },
  },
  {
    method: "GET",
    path: "/repos/:owner/:repo/contents",
    resource: "core",
    docs: CONTENTS_DOCS,
    handle: contents,
  },
  {
    method: "GET",
    path: "/repos/:owner/:repo/contents/*path",
    resource: "core",
    docs: CONTENTS_DOCS,
    handle: contents,
  },
];
