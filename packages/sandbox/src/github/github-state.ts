import { createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import type {
  CommentRecord,
  InstallationRecord,
  IssuedTokenRecord,
  IssueRecord,
  Principal,
  PullFileRecord,
  RepoRecord,
  UserRecord,
} from "./github-model.js";
import { fullName, repoKey } from "./github-model.js";
import { RateLimitLedger, type RateLimitSettings } from "./github-rate-limit.js";
import {
  DEFAULT_LOGIN,
  type IdSource,
  iso,
  OUTSIDER_LOGIN,
  SANDBOX_APP_ID,
  SANDBOX_INSTALLATION_ID,
  seedGithub,
  sha1,
} from "./github-seed.js";

export interface GithubStateOptions {
  /** Seed of the starting data; default 1. */
  readonly seed?: number;
  /** Clock (epoch ms) for created records, token expiry and rate-limit windows; default Date.now. */
  readonly now?: () => number;
  readonly rateLimits?: RateLimitSettings;
  /** Lifetime of installation tokens from POST /app/installations/:id/access_tokens; default 3600 s. */
  readonly installationTokenTtlSeconds?: number;
  /** Extra tokens and the login each authenticates as (checked before the prefix rules). */
  readonly tokens?: Readonly<Record<string, string>>;
  /** Login a plain `ghp_`/`github_pat_`/`ghs_` token authenticates as; default `sandbox-user`. */
  readonly defaultLogin?: string;
  /**
   * Public key (PEM or KeyObject) that App JWTs must verify against. Default: the key pair `appCredentials()`
   * generates on first use; before that, JWTs are checked for shape, algorithm and times but not signature.
   */
  readonly appPublicKey?: string | KeyObject;
}

/** The GitHub App the sandbox knows, with a private key clients can sign JWTs with. */
export interface SandboxAppCredentials {
  readonly appId: string;
  readonly installationId: string;
  /** PKCS#1 PEM, as GitHub issues App keys. */
  readonly privateKey: string;
}

export type TokenCheck =
  | { readonly ok: true; readonly principal: Principal }
  | { readonly ok: false; readonly message: string };

const ACCEPTED_PREFIXES = ["ghp_", "github_pat_", "ghs_"];

export interface NewIssue {
  readonly title: string;
  readonly body?: string | null;
  readonly labels?: readonly string[];
  readonly assignees?: readonly string[];
  readonly milestone?: number | null;
}

export interface NewPull {
  readonly title: string;
  readonly body?: string | null;
  readonly headOwner: string;
  readonly headRef: string;
  readonly headSha: string;
  readonly baseRef: string;
  readonly baseSha: string;
  readonly draft?: boolean;
  readonly maintainerCanModify?: boolean;
}

/**
 * The fake GitHub's data and the operations on it. Everything is in memory, seeded deterministically, and
 * mutated by the write endpoints, so created issues and comments appear in later lists and searches.
 */
export class GithubSandboxState {
  readonly now: () => number;
  readonly rateLimits: RateLimitLedger;
  readonly #options: GithubStateOptions;
  #users!: Map<string, UserRecord>;
  #repos!: Map<string, RepoRecord>;
  #installations!: Map<number, InstallationRecord>;
  #ids!: IdSource;
  #issuedTokens = new Map<string, IssuedTokenRecord>();
  #tokenCounter = 0;
  #appKey: { privateKey: string; publicKey: KeyObject } | undefined;
  readonly #configuredAppKey: KeyObject | undefined;

  constructor(options: GithubStateOptions = {}) {
    this.#options = options;
    this.now = options.now ?? Date.now;
    this.rateLimits = new RateLimitLedger(options.rateLimits, this.now);
    this.#configuredAppKey =
      options.appPublicKey === undefined
        ? undefined
        : typeof options.appPublicKey === "string"
          ? createPublicKey(options.appPublicKey)
          : options.appPublicKey;
    this.reset();
  }

  /** Back to the seeded data: created records, issued tokens and rate-limit counts are forgotten. */
  reset(): void {
    const seeded = seedGithub(this.#options.seed ?? 1);
    this.#users = seeded.users;
    this.#repos = seeded.repos;
    this.#installations = seeded.installations;
    this.#ids = seeded.ids;
    this.#issuedTokens = new Map();
    this.#tokenCounter = 0;
    this.rateLimits.reset();
  }

  nowIso(): string {
    return iso(this.now());
  }

  nextId(kind: string, start: number): number {
    return this.#ids.next(kind, start);
  }

  user(login: string): UserRecord | undefined {
    return this.#users.get(login.toLowerCase());
  }

  users(): UserRecord[] {
    return [...this.#users.values()];
  }

  repo(owner: string, name: string): RepoRecord | undefined {
    return this.#repos.get(repoKey(owner, name));
  }

  repoById(id: number): RepoRecord | undefined {
    return [...this.#repos.values()].find((repo) => repo.id === id);
  }

  repos(): RepoRecord[] {
    return [...this.#repos.values()];
  }

  installation(id: number): InstallationRecord | undefined {
    return this.#installations.get(id);
  }

  /** Whether `principal` can see `repo` (GitHub answers 404 when it cannot). */
  canRead(principal: Principal, repo: RepoRecord): boolean {
    if (principal.kind === "installation") {
      if (repo.owner.toLowerCase() !== principal.installation.account.toLowerCase()) return false;
      const allowed = principal.repositories ?? principal.installation.repositories;
      return allowed === null || allowed.some((name) => name.toLowerCase() === fullName(repo).toLowerCase());
    }
    if (!repo.private) return true;
    const login = principal.login.toLowerCase();
    if (repo.owner.toLowerCase() === login) return true;
    if (repo.collaborators.some((name) => name.toLowerCase() === login)) return true;
    const owner = this.user(repo.owner);
    return owner?.type === "Organization" && owner.members.some((name) => name.toLowerCase() === login);
  }

  visibleRepos(principal: Principal): RepoRecord[] {
    return this.repos().filter((repo) => this.canRead(principal, repo));
  }

  /** A branch name or a commit SHA (7+ hex characters) to a full SHA. */
  resolveRef(repo: RepoRecord, ref: string): string | undefined {
    const branch = repo.branches.get(ref) ?? repo.branches.get(ref.replace(/^refs\/heads\//, ""));
    if (branch) return branch;
    if (/^[0-9a-f]{7,40}$/i.test(ref)) {
      const lower = ref.toLowerCase();
      for (const sha of repo.commits.keys()) if (sha.startsWith(lower)) return sha;
    }
    return undefined;
  }

  /** Decides who a bearer token is, or why it is refused. */
  checkToken(token: string): TokenCheck {
    const issued = this.#issuedTokens.get(token);
    if (issued) {
      const installation = this.#installations.get(issued.installationId);
      if (!installation || issued.expiresAt <= this.now()) return { ok: false, message: "Bad credentials" };
      return {
        ok: true,
        principal: { kind: "installation", token, installation, repositories: issued.repositories },
      };
    }
    const configured = this.#options.tokens?.[token];
    if (configured !== undefined) return { ok: true, principal: { kind: "user", token, login: configured } };
    const lower = token.toLowerCase();
    if (lower.includes("expired") || lower.includes("revoked"))
      return { ok: false, message: "Bad credentials" };
    if (!ACCEPTED_PREFIXES.some((prefix) => token.startsWith(prefix)))
      return { ok: false, message: "Bad credentials" };
    const login = lower.includes(OUTSIDER_LOGIN)
      ? OUTSIDER_LOGIN
      : (this.#options.defaultLogin ?? DEFAULT_LOGIN);
    return { ok: true, principal: { kind: "user", token, login } };
  }

  /** Issues an installation token (`ghs_...`) that expires after the configured lifetime. */
  issueInstallationToken(
    installation: InstallationRecord,
    repositories: readonly string[] | null,
  ): IssuedTokenRecord {
    this.#tokenCounter += 1;
    const token = `ghs_${sha1(`installation:${installation.id}:${this.#tokenCounter}:${this.now()}`).slice(0, 36)}`;
    const ttl = (this.#options.installationTokenTtlSeconds ?? 3600) * 1000;
    const record: IssuedTokenRecord = {
      token,
      installationId: installation.id,
      expiresAt: this.now() + ttl,
      repositories,
    };
    this.#issuedTokens.set(token, record);
    return record;
  }

  /** Forgets an issued installation token, as GitHub's DELETE /installation/token does. */
  revokeInstallationToken(token: string): boolean {
    return this.#issuedTokens.delete(token);
  }

  /**
   * The sandbox App's id, installation and private key (generated on first call, kept across resets). From
   * then on App JWTs must be signed with this key.
   */
  appCredentials(): SandboxAppCredentials {
    if (!this.#appKey) {
      const pair = generateKeyPairSync("rsa", {
        modulusLength: 2048,
        privateKeyEncoding: { type: "pkcs1", format: "pem" },
        publicKeyEncoding: { type: "spki", format: "pem" },
      });
      this.#appKey = { privateKey: pair.privateKey, publicKey: createPublicKey(pair.publicKey) };
    }
    return {
      appId: String(SANDBOX_APP_ID),
      installationId: String(SANDBOX_INSTALLATION_ID),
      privateKey: this.#appKey.privateKey,
    };
  }

  /** The key App JWTs are verified with, if any is known. */
  appPublicKey(): KeyObject | undefined {
    return this.#configuredAppKey ?? this.#appKey?.publicKey;
  }

  createIssue(repo: RepoRecord, login: string, fields: NewIssue, pull?: NewPull): IssueRecord {
    const now = this.nowIso();
    const number = repo.nextNumber++;
    const issue: IssueRecord = {
      id: this.nextId("issue", 2_000_001),
      number,
      title: fields.title,
      body: fields.body ?? null,
      state: "open",
      stateReason: null,
      userLogin: login,
      labels: [...(fields.labels ?? [])],
      assignees: [...(fields.assignees ?? [])],
      milestone: fields.milestone ?? null,
      locked: false,
      comments: [],
      createdAt: now,
      updatedAt: now,
      closedAt: null,
      closedBy: null,
      ...(pull ? { pull: this.#newPull(repo, pull) } : {}),
    };
    repo.issues.set(number, issue);
    repo.updatedAt = now;
    return issue;
  }

  #newPull(repo: RepoRecord, pull: NewPull): NonNullable<IssueRecord["pull"]> {
    const head = repo.commits.get(pull.headSha);
    const files: PullFileRecord[] = (head?.files ?? []).map((filename, index) => ({
      filename,
      status: repo.files.has(filename) ? "modified" : "added",
      additions: 3 + index,
      deletions: index,
    }));
    return {
      id: this.nextId("pull", 1_500_001),
      headOwner: pull.headOwner,
      headRef: pull.headRef,
      headSha: pull.headSha,
      baseRef: pull.baseRef,
      baseSha: pull.baseSha,
      draft: pull.draft ?? false,
      mergedAt: null,
      mergedBy: null,
      mergeable: null,
      mergeableState: "unknown",
      files,
      reviews: [],
      requestedReviewers: [],
      commits: 1,
      reviewComments: 0,
      maintainerCanModify: pull.maintainerCanModify ?? false,
    };
  }

  addComment(repo: RepoRecord, issue: IssueRecord, login: string, body: string): CommentRecord {
    const now = this.nowIso();
    const comment: CommentRecord = {
      id: this.nextId("comment", 9_000_001),
      userLogin: login,
      body,
      createdAt: now,
      updatedAt: now,
    };
    issue.comments.push(comment);
    issue.updatedAt = now;
    repo.updatedAt = now;
    return comment;
  }

  /** Counts for GET /__sandbox/state and tests. */
  summary(): Record<string, unknown> {
    return {
      repositories: this.repos().map((repo) => {
        const issues = [...repo.issues.values()];
        return {
          fullName: fullName(repo),
          private: repo.private,
          issues: issues.filter((issue) => !issue.pull).length,
          pullRequests: issues.filter((issue) => issue.pull).length,
          comments: issues.reduce((sum, issue) => sum + issue.comments.length, 0),
          commits: repo.commits.size,
          files: repo.files.size,
        };
      }),
      issuedInstallationTokens: this.#issuedTokens.size,
    };
  }
}
