/** The in-memory records behind the fake GitHub. Wire JSON is built from these in `github-serialize.ts`. */

export interface UserRecord {
  readonly id: number;
  readonly login: string;
  readonly type: "User" | "Organization" | "Bot";
  readonly name: string | null;
  readonly email: string | null;
  /** Organisations: logins of members (they see the org's private repositories). */
  readonly members: readonly string[];
  readonly createdAt: string;
}

export interface LabelRecord {
  readonly id: number;
  readonly name: string;
  readonly color: string;
  readonly description: string | null;
}

export interface MilestoneRecord {
  readonly id: number;
  readonly number: number;
  readonly title: string;
  readonly state: "open" | "closed";
}

export interface FileRecord {
  readonly type: "file" | "symlink" | "submodule";
  readonly path: string;
  readonly content: Buffer;
  /** Symlinks: the path they point to, relative to their directory. */
  readonly target?: string;
  /** Submodules: the repository URL. */
  readonly submoduleUrl?: string;
}

export interface CommitRecord {
  readonly sha: string;
  readonly message: string;
  readonly authorLogin: string | null;
  readonly authorName: string;
  readonly authorEmail: string;
  readonly date: string;
  readonly parents: readonly string[];
  /** Paths the commit touched. */
  readonly files: readonly string[];
}

export interface CommentRecord {
  readonly id: number;
  readonly userLogin: string;
  body: string;
  readonly createdAt: string;
  updatedAt: string;
}

export interface ReviewRecord {
  readonly id: number;
  readonly userLogin: string;
  readonly state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING";
  readonly body: string;
  readonly submittedAt: string | null;
  readonly commitId: string;
}

export interface PullFileRecord {
  readonly filename: string;
  readonly status: "added" | "modified" | "removed" | "renamed";
  readonly additions: number;
  readonly deletions: number;
  readonly previousFilename?: string;
}

export interface PullRecord {
  readonly id: number;
  readonly headOwner: string;
  readonly headRef: string;
  readonly headSha: string;
  readonly baseRef: string;
  readonly baseSha: string;
  draft: boolean;
  mergedAt: string | null;
  mergedBy: string | null;
  readonly mergeable: boolean | null;
  readonly mergeableState: string;
  readonly files: PullFileRecord[];
  readonly reviews: ReviewRecord[];
  readonly requestedReviewers: string[];
  readonly commits: number;
  readonly reviewComments: number;
  readonly maintainerCanModify: boolean;
}

export interface IssueRecord {
  readonly id: number;
  readonly number: number;
  title: string;
  body: string | null;
  state: "open" | "closed";
  stateReason: "completed" | "not_planned" | "reopened" | null;
  readonly userLogin: string;
  labels: string[];
  assignees: string[];
  milestone: number | null;
  locked: boolean;
  readonly comments: CommentRecord[];
  readonly createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  closedBy: string | null;
  /** Set when the issue is a pull request. */
  readonly pull?: PullRecord;
}

export interface StatusRecord {
  readonly id: number;
  readonly context: string;
  readonly state: "error" | "failure" | "pending" | "success";
  readonly description: string | null;
  readonly targetUrl: string | null;
  readonly createdAt: string;
}

export interface CheckRunRecord {
  readonly id: number;
  readonly name: string;
  readonly status: "queued" | "in_progress" | "completed";
  readonly conclusion:
    | "success"
    | "failure"
    | "neutral"
    | "cancelled"
    | "skipped"
    | "timed_out"
    | "action_required"
    | null;
  readonly startedAt: string;
  readonly completedAt: string | null;
}

export interface RepoRecord {
  readonly id: number;
  readonly owner: string;
  readonly name: string;
  readonly private: boolean;
  readonly description: string | null;
  readonly language: string | null;
  readonly topics: readonly string[];
  readonly defaultBranch: string;
  readonly createdAt: string;
  updatedAt: string;
  pushedAt: string | null;
  readonly stargazers: number;
  readonly forks: number;
  readonly archived: boolean;
  readonly fork: boolean;
  readonly hasIssues: boolean;
  readonly license: { readonly key: string; readonly name: string; readonly spdxId: string } | null;
  readonly collaborators: readonly string[];
  readonly labels: Map<string, LabelRecord>;
  readonly milestones: Map<number, MilestoneRecord>;
  readonly issues: Map<number, IssueRecord>;
  nextNumber: number;
  /** The default branch's tree, by path. Every ref of the repository reads this same tree. */
  readonly files: Map<string, FileRecord>;
  readonly commits: Map<string, CommitRecord>;
  readonly branches: Map<string, string>;
  readonly statuses: Map<string, StatusRecord[]>;
  readonly checkRuns: Map<string, CheckRunRecord[]>;
}

export interface InstallationRecord {
  readonly id: number;
  readonly appId: number;
  readonly account: string;
  /** Full names (owner/repo) of the repositories granted; null: all of the account's. */
  readonly repositories: readonly string[] | null;
  readonly permissions: Readonly<Record<string, string>>;
}

export interface IssuedTokenRecord {
  readonly token: string;
  readonly installationId: number;
  readonly expiresAt: number;
  /** Lower-cased full names the token may use; null: everything the installation may. */
  readonly repositories: readonly string[] | null;
}

/** Who a request authenticates as. */
export type Principal =
  | { readonly kind: "user"; readonly token: string; readonly login: string }
  | {
      readonly kind: "installation";
      readonly token: string;
      readonly installation: InstallationRecord;
      readonly repositories: readonly string[] | null;
    };

export const repoKey = (owner: string, name: string) => `${owner}/${name}`.toLowerCase();
export const fullName = (repo: RepoRecord) => `${repo.owner}/${repo.name}`;
