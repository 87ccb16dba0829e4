import type {
  CheckRunRecord,
  CommentRecord,
  CommitRecord,
  FileRecord,
  IssueRecord,
  LabelRecord,
  MilestoneRecord,
  Principal,
  PullFileRecord,
  RepoRecord,
  ReviewRecord,
  StatusRecord,
  UserRecord,
} from "./github-model.js";
import { fullName } from "./github-model.js";
import { blobSha, sha1 } from "./github-seed.js";
import type { GithubSandboxState } from "./github-state.js";

/**
 * GitHub's REST representations, built from the records. Field names and types follow the real API (the
 * fields @switchyard/github's wire schemas read are all here, plus the common ones around them); `url`
 * fields point at the base URL the request came in on, `html_url` at the matching web host.
 */

/** Where API and web URLs of one request point. */
export interface GithubLinks {
  /** API root as the request used it, no trailing slash: `https://api.github.com`, `http://127.0.0.1:PORT/github`. */
  readonly api: string;
  /** Web root: `https://github.com` for api.github.com, the GHES host for `.../api/v3`, else the API root. */
  readonly html: string;
}

export function linksFor(apiBase: string): GithubLinks {
  const url = new URL(apiBase);
  if (url.hostname === "api.github.com") return { api: apiBase, html: "https://github.com" };
  if (/\/api\/v3$/.test(url.pathname)) return { api: apiBase, html: apiBase.replace(/\/api\/v3$/, "") };
  return { api: apiBase, html: apiBase };
}

const nodeId = (prefix: string, id: number | string) =>
  `${prefix}_${Buffer.from(`sandbox:${prefix}:${id}`).toString("base64url")}`;

export const encodePath = (path: string) => path.split("/").map(encodeURIComponent).join("/");

/** Base64 the way the contents API sends it: lines of 60 characters, each ending in a newline. */
function base64Lines(content: Buffer): string {
  const encoded = content.toString("base64");
  const lines: string[] = [];
  for (let i = 0; i < encoded.length; i += 60) lines.push(encoded.slice(i, i + 60));
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

/** Files at or above this size come back with `encoding: "none"` and no content, as on GitHub. */
export const CONTENTS_MAX_INLINE_BYTES = 1024 * 1024;

export class GithubWire {
  readonly #state: GithubSandboxState;
  readonly links: GithubLinks;

  constructor(state: GithubSandboxState, links: GithubLinks) {
    this.#state = state;
    this.links = links;
  }

  #repoApi(repo: RepoRecord): string {
    return `${this.links.api}/repos/${fullName(repo)}`;
  }

  #repoHtml(repo: RepoRecord): string {
    return `${this.links.html}/${fullName(repo)}`;
  }

  user(record: UserRecord): Record<string, unknown> {
    const { api, html } = this.links;
    const base = `${api}/users/${record.login}`;
    return {
      login: record.login,
      id: record.id,
      node_id: nodeId(record.type === "Organization" ? "O" : "U", record.id),
      avatar_url: `https://avatars.githubusercontent.com/u/${record.id}?v=4`,
      gravatar_id: "",
      url: base,
      html_url: `${html}/${record.login}`,
      followers_url: `${base}/followers`,
      following_url: `${base}/following{/other_user}`,
      gists_url: `${base}/gists{/gist_id}`,
      starred_url: `${base}/starred{/owner}{/repo}`,
      subscriptions_url: `${base}/subscriptions`,
      organizations_url: `${base}/orgs`,
      repos_url: `${base}/repos`,
      events_url: `${base}/events{/privacy}`,
      received_events_url: `${base}/received_events`,
      type: record.type,
      user_view_type: "public",
      site_admin: false,
    };
  }

  /** A user by login; logins the sandbox does not know still get a plausible object. */
  userByLogin(login: string | null): Record<string, unknown> | null {
    if (login === null) return null;
    const record = this.#state.user(login) ?? {
      id: 90_000 + (Number.parseInt(sha1(login).slice(0, 6), 16) % 9_000),
      login,
      type: "User" as const,
      name: null,
      email: null,
      members: [],
      createdAt: "2020-01-01T00:00:00Z",
    };
    return this.user(record);
  }

  /** The authenticated user (GET /user) has private fields too. */
  authenticatedUser(record: UserRecord): Record<string, unknown> {
    const owned = this.#state
      .repos()
      .filter((repo) => repo.owner.toLowerCase() === record.login.toLowerCase());
    return {
      ...this.user(record),
      name: record.name,
      company: null,
      blog: "",
      location: null,
      email: record.email,
      hireable: null,
      bio: null,
      twitter_username: null,
      public_repos: owned.filter((repo) => !repo.private).length,
      public_gists: 0,
      followers: 0,
      following: 0,
      created_at: record.createdAt,
      updated_at: record.createdAt,
      private_gists: 0,
      total_private_repos: owned.filter((repo) => repo.private).length,
      owned_private_repos: owned.filter((repo) => repo.private).length,
      two_factor_authentication: true,
      plan: { name: "free", space: 976_562_499, collaborators: 0, private_repos: 10_000 },
    };
  }

  #permissions(repo: RepoRecord, principal: Principal | undefined): Record<string, boolean> {
    const member = principal !== undefined && this.#state.canRead(principal, repo);
    const owner = principal?.kind === "user" && principal.login.toLowerCase() === repo.owner.toLowerCase();
    const orgMember =
      principal?.kind === "user" &&
      (this.#state.user(repo.owner)?.members ?? []).some(
        (login) => login.toLowerCase() === principal.login.toLowerCase(),
      );
    const push = principal?.kind === "installation" ? member : owner || orgMember;
    return { admin: owner, maintain: owner, push, triage: push, pull: member };
  }

  minimalRepo(repo: RepoRecord): Record<string, unknown> {
    const api = this.#repoApi(repo);
    const owner = this.#state.user(repo.owner);
    return {
      id: repo.id,
      node_id: nodeId("R", repo.id),
      name: repo.name,
      full_name: fullName(repo),
      private: repo.private,
      owner: owner ? this.user(owner) : this.userByLogin(repo.owner),
      html_url: this.#repoHtml(repo),
      description: repo.description,
      fork: repo.fork,
      url: api,
    };
  }

  repo(repo: RepoRecord, principal?: Principal): Record<string, unknown> {
    const api = this.#repoApi(repo);
    const html = this.#repoHtml(repo);
    const openIssues = [...repo.issues.values()].filter((issue) => issue.state === "open").length;
    const host = new URL(this.links.html).host;
    return {
      ...this.minimalRepo(repo),
      forks_url: `${api}/forks`,
      keys_url: `${api}/keys{/key_id}`,
      collaborators_url: `${api}/collaborators{/collaborator}`,
      issues_url: `${api}/issues{/number}`,
      pulls_url: `${api}/pulls{/number}`,
      commits_url: `${api}/commits{/sha}`,
      contents_url: `${api}/contents/{+path}`,
      labels_url: `${api}/labels{/name}`,
      created_at: repo.createdAt,
      updated_at: repo.updatedAt,
      pushed_at: repo.pushedAt,
      git_url: `git://${host}/${fullName(repo)}.git`,
      ssh_url: `git@${host}:${fullName(repo)}.git`,
      clone_url: `${html}.git`,
      svn_url: html,
      homepage: null,
      size: Math.ceil([...repo.files.values()].reduce((sum, file) => sum + file.content.length, 0) / 1024),
      stargazers_count: repo.stargazers,
      watchers_count: repo.stargazers,
      language: repo.language,
      has_issues: repo.hasIssues,
      has_projects: true,
      has_downloads: true,
      has_wiki: false,
      has_pages: false,
      has_discussions: false,
      forks_count: repo.forks,
      mirror_url: null,
      archived: repo.archived,
      disabled: false,
      open_issues_count: openIssues,
      license: repo.license
        ? {
            key: repo.license.key,
            name: repo.license.name,
            spdx_id: repo.license.spdxId,
            url: `${this.links.api}/licenses/${repo.license.key}`,
            node_id: nodeId("L", repo.license.key),
          }
        : null,
      allow_forking: true,
      is_template: false,
      web_commit_signoff_required: false,
      topics: [...repo.topics],
      visibility: repo.private ? "private" : "public",
      forks: repo.forks,
      open_issues: openIssues,
      watchers: repo.stargazers,
      default_branch: repo.defaultBranch,
      ...(principal ? { permissions: this.#permissions(repo, principal) } : {}),
    };
  }

  label(repo: RepoRecord, name: string): Record<string, unknown> {
    const record: LabelRecord = repo.labels.get(name.toLowerCase()) ?? {
      id: 700_000 + (Number.parseInt(sha1(name).slice(0, 5), 16) % 99_999),
      name,
      color: "ededed",
      description: null,
    };
    return {
      id: record.id,
      node_id: nodeId("LA", record.id),
      url: `${this.#repoApi(repo)}/labels/${encodeURIComponent(record.name)}`,
      name: record.name,
      color: record.color,
      default: ["bug", "enhancement", "documentation", "good first issue", "question"].includes(record.name),
      description: record.description,
    };
  }

  milestone(repo: RepoRecord, record: MilestoneRecord): Record<string, unknown> {
    const issues = [...repo.issues.values()].filter((issue) => issue.milestone === record.number);
    return {
      url: `${this.#repoApi(repo)}/milestones/${record.number}`,
      html_url: `${this.#repoHtml(repo)}/milestone/${record.number}`,
      id: record.id,
      node_id: nodeId("MI", record.id),
      number: record.number,
      title: record.title,
      description: null,
      creator: this.userByLogin(repo.owner),
      open_issues: issues.filter((issue) => issue.state === "open").length,
      closed_issues: issues.filter((issue) => issue.state === "closed").length,
      state: record.state,
      created_at: repo.createdAt,
      updated_at: repo.updatedAt,
      due_on: null,
      closed_at: null,
    };
  }

  /** OWNER, MEMBER, COLLABORATOR, CONTRIBUTOR or NONE: the author's relation to the repository. */
  authorAssociation(repo: RepoRecord, login: string): string {
    const lower = login.toLowerCase();
    if (repo.owner.toLowerCase() === lower) return "OWNER";
    if ((this.#state.user(repo.owner)?.members ?? []).some((member) => member.toLowerCase() === lower))
      return "MEMBER";
    if (repo.collaborators.some((name) => name.toLowerCase() === lower)) return "COLLABORATOR";
    for (const commit of repo.commits.values())
      if (commit.authorLogin?.toLowerCase() === lower) return "CONTRIBUTOR";
    return "NONE";
  }

  #reactions(url: string): Record<string, unknown> {
    return {
      url: `${url}/reactions`,
      total_count: 0,
      "+1": 0,
      "-1": 0,
      laugh: 0,
      hooray: 0,
      confused: 0,
      heart: 0,
      rocket: 0,
      eyes: 0,
    };
  }

  issue(
    repo: RepoRecord,
    issue: IssueRecord,
    options: { readonly detail?: boolean } = {},
  ): Record<string, unknown> {
    const api = `${this.#repoApi(repo)}/issues/${issue.number}`;
    const pull = issue.pull;
    const milestone = issue.milestone === null ? undefined : repo.milestones.get(issue.milestone);
    const assignees = issue.assignees.map((login) => this.userByLogin(login));
    return {
      url: api,
      repository_url: this.#repoApi(repo),
      labels_url: `${api}/labels{/name}`,
      comments_url: `${api}/comments`,
      events_url: `${api}/events`,
      html_url: `${this.#repoHtml(repo)}/${pull ? "pull" : "issues"}/${issue.number}`,
      id: issue.id,
      node_id: nodeId(pull ? "PR" : "I", issue.id),
      number: issue.number,
      title: issue.title,
      user: this.userByLogin(issue.userLogin),
      labels: issue.labels.map((name) => this.label(repo, name)),
      state: issue.state,
      locked: issue.locked,
      assignee: assignees[0] ?? null,
      assignees,
      milestone: milestone ? this.milestone(repo, milestone) : null,
      comments: issue.comments.length,
      created_at: issue.createdAt,
      updated_at: issue.updatedAt,
      closed_at: issue.closedAt,
      author_association: this.authorAssociation(repo, issue.userLogin),
      active_lock_reason: null,
      ...(pull
        ? {
            draft: pull.draft,
            pull_request: {
              url: `${this.#repoApi(repo)}/pulls/${issue.number}`,
              html_url: `${this.#repoHtml(repo)}/pull/${issue.number}`,
              diff_url: `${this.#repoHtml(repo)}/pull/${issue.number}.diff`,
              patch_url: `${this.#repoHtml(repo)}/pull/${issue.number}.patch`,
              merged_at: pull.mergedAt,
            },
          }
        : {}),
      body: issue.body,
      ...(options.detail ? { closed_by: this.userByLogin(issue.closedBy) } : {}),
      reactions: this.#reactions(api),
      timeline_url: `${api}/timeline`,
      performed_via_github_app: null,
      state_reason: issue.stateReason,
    };
  }

  comment(repo: RepoRecord, issue: IssueRecord, comment: CommentRecord): Record<string, unknown> {
    const url = `${this.#repoApi(repo)}/issues/comments/${comment.id}`;
    return {
      url,
      html_url: `${this.#repoHtml(repo)}/${issue.pull ? "pull" : "issues"}/${issue.number}#issuecomment-${comment.id}`,
      issue_url: `${this.#repoApi(repo)}/issues/${issue.number}`,
      id: comment.id,
      node_id: nodeId("IC", comment.id),
      user: this.userByLogin(comment.userLogin),
      created_at: comment.createdAt,
      updated_at: comment.updatedAt,
      author_association: this.authorAssociation(repo, comment.userLogin),
      body: comment.body,
      reactions: this.#reactions(url),
      performed_via_github_app: null,
    };
  }

  #branchRef(repo: RepoRecord, owner: string, ref: string, sha: string): Record<string, unknown> {
    const headRepo = owner.toLowerCase() === repo.owner.toLowerCase() ? repo : undefined;
    return {
      label: `${owner}:${ref}`,
      ref,
      sha,
      user: this.userByLogin(owner),
      repo: headRepo ? this.repo(headRepo) : null,
    };
  }

  pull(
    repo: RepoRecord,
    issue: IssueRecord,
    options: { readonly detail?: boolean } = {},
  ): Record<string, unknown> {
    const pull = issue.pull;
    if (!pull) throw new TypeError(`#${issue.number} is not a pull request`);
    const api = `${this.#repoApi(repo)}/pulls/${issue.number}`;
    const html = `${this.#repoHtml(repo)}/pull/${issue.number}`;
    const milestone = issue.milestone === null ? undefined : repo.milestones.get(issue.milestone);
    const assignees = issue.assignees.map((login) => this.userByLogin(login));
    const summary = {
      url: api,
      id: pull.id,
      node_id: nodeId("PR", pull.id),
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      issue_url: `${this.#repoApi(repo)}/issues/${issue.number}`,
      number: issue.number,
      state: issue.state,
      locked: issue.locked,
      title: issue.title,
      user: this.userByLogin(issue.userLogin),
      body: issue.body,
      created_at: issue.createdAt,
      updated_at: issue.updatedAt,
      closed_at: issue.closedAt,
      merged_at: pull.mergedAt,
      merge_commit_sha: pull.mergedAt ? sha1(`merge:${pull.headSha}`) : null,
      assignee: assignees[0] ?? null,
      assignees,
      requested_reviewers: pull.requestedReviewers.map((login) => this.userByLogin(login)),
      requested_teams: [],
      labels: issue.labels.map((name) => this.label(repo, name)),
      milestone: milestone ? this.milestone(repo, milestone) : null,
      draft: pull.draft,
      commits_url: `${api}/commits`,
      review_comments_url: `${api}/comments`,
      review_comment_url: `${this.#repoApi(repo)}/pulls/comments{/number}`,
      comments_url: `${this.#repoApi(repo)}/issues/${issue.number}/comments`,
      statuses_url: `${this.#repoApi(repo)}/statuses/${pull.headSha}`,
      head: this.#branchRef(repo, pull.headOwner, pull.headRef, pull.headSha),
      base: this.#branchRef(repo, repo.owner, pull.baseRef, pull.baseSha),
      _links: {
        self: { href: api },
        html: { href: html },
        issue: { href: `${this.#repoApi(repo)}/issues/${issue.number}` },
        comments: { href: `${this.#repoApi(repo)}/issues/${issue.number}/comments` },
        review_comments: { href: `${api}/comments` },
        commits: { href: `${api}/commits` },
        statuses: { href: `${this.#repoApi(repo)}/statuses/${pull.headSha}` },
      },
      author_association: this.authorAssociation(repo, issue.userLogin),
      auto_merge: null,
      active_lock_reason: null,
    };
    if (!options.detail) return summary;
    return {
      ...summary,
      merged: pull.mergedAt !== null,
      mergeable: pull.mergeable,
      rebaseable: pull.mergeable,
      mergeable_state: pull.mergeableState,
      merged_by: this.userByLogin(pull.mergedBy),
      comments: issue.comments.length,
      review_comments: pull.reviewComments,
      maintainer_can_modify: pull.maintainerCanModify,
      commits: pull.commits,
      additions: pull.files.reduce((sum, file) => sum + file.additions, 0),
      deletions: pull.files.reduce((sum, file) => sum + file.deletions, 0),
      changed_files: pull.files.length,
    };
  }

  pullFile(repo: RepoRecord, headSha: string, file: PullFileRecord): Record<string, unknown> {
    const patchLines = [
      `@@ -1,${file.deletions} +1,${file.additions} @@`,
      ...Array.from({ length: Math.min(file.deletions, 3) }, (_, i) => `-old line ${i + 1}`),
      ...Array.from({ length: Math.min(file.additions, 3) }, (_, i) => `+new line ${i + 1}`),
    ];
    return {
      sha: sha1(`${headSha}:${file.filename}`),
      filename: file.filename,
      status: file.status,
      additions: file.additions,
      deletions: file.deletions,
      changes: file.additions + file.deletions,
      blob_url: `${this.#repoHtml(repo)}/blob/${headSha}/${encodePath(file.filename)}`,
      raw_url: `${this.#repoHtml(repo)}/raw/${headSha}/${encodePath(file.filename)}`,
      contents_url: `${this.#repoApi(repo)}/contents/${encodePath(file.filename)}?ref=${headSha}`,
      patch: patchLines.join("\n"),
      ...(file.previousFilename ? { previous_filename: file.previousFilename } : {}),
    };
  }

  review(repo: RepoRecord, number: number, review: ReviewRecord): Record<string, unknown> {
    const html = `${this.#repoHtml(repo)}/pull/${number}#pullrequestreview-${review.id}`;
    return {
      id: review.id,
      node_id: nodeId("PRR", review.id),
      user: this.userByLogin(review.userLogin),
      body: review.body,
      state: review.state,
      html_url: html,
      pull_request_url: `${this.#repoApi(repo)}/pulls/${number}`,
      author_association: this.authorAssociation(repo, review.userLogin),
      _links: { html: { href: html }, pull_request: { href: `${this.#repoApi(repo)}/pulls/${number}` } },
      ...(review.submittedAt ? { submitted_at: review.submittedAt } : {}),
      commit_id: review.commitId,
    };
  }

  commit(repo: RepoRecord, commit: CommitRecord): Record<string, unknown> {
    const api = `${this.#repoApi(repo)}/commits/${commit.sha}`;
    const tree = sha1(`tree:${commit.sha}`);
    return {
      sha: commit.sha,
      node_id: nodeId("C", commit.sha),
      commit: {
        author: { name: commit.authorName, email: commit.authorEmail, date: commit.date },
        committer: { name: "GitHub", email: "noreply@github.com", date: commit.date },
        message: commit.message,
        tree: { sha: tree, url: `${this.#repoApi(repo)}/git/trees/${tree}` },
        url: `${this.#repoApi(repo)}/git/commits/${commit.sha}`,
        comment_count: 0,
        verification: {
          verified: false,
          reason: "unsigned",
          signature: null,
          payload: null,
          verified_at: null,
        },
      },
      url: api,
      html_url: `${this.#repoHtml(repo)}/commit/${commit.sha}`,
      comments_url: `${api}/comments`,
      author: this.userByLogin(commit.authorLogin),
      committer: this.userByLogin(commit.authorLogin),
      parents: commit.parents.map((sha) => ({
        sha,
        url: `${this.#repoApi(repo)}/commits/${sha}`,
        html_url: `${this.#repoHtml(repo)}/commit/${sha}`,
      })),
    };
  }

  combinedStatus(repo: RepoRecord, sha: string, statuses: readonly StatusRecord[]): Record<string, unknown> {
    const states = statuses.map((status) => status.state);
    const state = states.some((value) => value === "error" || value === "failure")
      ? "failure"
      : states.length === 0 || states.includes("pending")
        ? "pending"
        : "success";
    return {
      state,
      statuses: statuses.map((status) => ({
        url: `${this.#repoApi(repo)}/statuses/${sha}`,
        avatar_url: "https://avatars.githubusercontent.com/u/9919?v=4",
        id: status.id,
        node_id: nodeId("SC", status.id),
        state: status.state,
        description: status.description,
        target_url: status.targetUrl,
        context: status.context,
        created_at: status.createdAt,
        updated_at: status.createdAt,
      })),
      sha,
      total_count: statuses.length,
      repository: this.minimalRepo(repo),
      commit_url: `${this.#repoApi(repo)}/commits/${sha}`,
      url: `${this.#repoApi(repo)}/commits/${sha}/status`,
    };
  }

  checkRun(repo: RepoRecord, sha: string, run: CheckRunRecord): Record<string, unknown> {
    return {
      id: run.id,
      head_sha: sha,
      node_id: nodeId("CR", run.id),
      external_id: String(run.id),
      url: `${this.#repoApi(repo)}/check-runs/${run.id}`,
      html_url: `${this.#repoHtml(repo)}/runs/${run.id}`,
      details_url: `https://ci.sandbox.example/runs/${run.id}`,
      status: run.status,
      conclusion: run.conclusion,
      started_at: run.startedAt,
      completed_at: run.completedAt,
      output: {
        title: run.conclusion ?? run.status,
        summary: `${run.name}: ${run.conclusion ?? run.status}`,
        text: null,
        annotations_count: 0,
        annotations_url: `${this.#repoApi(repo)}/check-runs/${run.id}/annotations`,
      },
      name: run.name,
      check_suite: { id: run.id + 100_000 },
      app: { id: 15368, slug: "sandbox-ci", name: "Sandbox CI" },
      pull_requests: [],
    };
  }

  /** One entry of a directory listing (or the common part of a file response). */
  contentEntry(
    repo: RepoRecord,
    ref: string,
    entry: { readonly type: string; readonly path: string; readonly sha: string; readonly size: number },
  ): Record<string, unknown> {
    const path = encodePath(entry.path);
    const isDir = entry.type === "dir";
    const self = `${this.#repoApi(repo)}/contents/${path}?ref=${encodeURIComponent(ref)}`;
    const git = `${this.#repoApi(repo)}/git/${isDir ? "trees" : "blobs"}/${entry.sha}`;
    const html = `${this.#repoHtml(repo)}/${isDir ? "tree" : "blob"}/${encodeURIComponent(ref)}/${path}`;
    return {
      name: entry.path.split("/").pop() ?? entry.path,
      path: entry.path,
      sha: entry.sha,
      size: entry.size,
      url: self,
      html_url: html,
      git_url: git,
      download_url:
        entry.type === "file"
          ? `https://raw.githubusercontent.com/${fullName(repo)}/${encodeURIComponent(ref)}/${path}`
          : null,
      type: entry.type,
      _links: { self, git, html },
    };
  }

  /** A file, symlink or submodule requested by its own path. */
  contentFile(repo: RepoRecord, ref: string, file: FileRecord): Record<string, unknown> {
    const sha = file.type === "submodule" ? sha1(`submodule:${file.path}`) : blobSha(file.content);
    const entry = this.contentEntry(repo, ref, {
      type: file.type,
      path: file.path,
      sha,
      size: file.content.length,
    });
    if (file.type === "symlink") return { ...entry, target: file.target ?? "" };
    if (file.type === "submodule") {
      return { ...entry, size: 0, download_url: null, submodule_git_url: file.submoduleUrl ?? "" };
    }
    const large = file.content.length >= CONTENTS_MAX_INLINE_BYTES;
    return {
      ...entry,
      content: large ? "" : base64Lines(file.content),
      encoding: large ? "none" : "base64",
    };
  }
}
