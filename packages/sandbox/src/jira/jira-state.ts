import type { AdfDoc } from "./jira-adf.js";
import { DEFAULT_PRIORITY, SANDBOX_ACCOUNT_ID, statusById, USERS } from "./jira-catalog.js";
import {
  type CommentRecord,
  canBrowse,
  type IssueRecord,
  type ProjectRecord,
  type TransitionRecord,
  type UserRecord,
} from "./jira-model.js";
import { JiraOAuth, type JiraOAuthSettings } from "./jira-oauth.js";
import { type JiraRateLimitSettings, JiraRateLimits } from "./jira-rate-limit.js";
import { seedJira } from "./jira-seed.js";

export interface JiraStateOptions {
  /** Seed of the starting data; default 1. */
  readonly seed?: number;
  /** Clock (epoch ms) for created records, token expiry and rate-limit windows; default Date.now. */
  readonly now?: () => number;
  readonly rateLimits?: JiraRateLimitSettings;
  readonly oauth?: JiraOAuthSettings;
  /** The site's cloud id (accessible-resources, `/ex/jira/{cloudId}`); default `SANDBOX_CLOUD_ID`. */
  readonly cloudId?: string;
}

export const SANDBOX_CLOUD_ID = "3b5f8a2e-7c41-4d9a-9e6b-1f0c2d4e6a8b";
/** The API token `startSandbox` hands out with `sandbox-user@example.com` (any `ATATT…` token works alike). */
export const JIRA_SANDBOX_API_TOKEN = "ATATT3xFfGF0sandbox-api-token-00000000000000000000";

const DAY = 86_400_000;

export interface NewIssue {
  readonly project: ProjectRecord;
  readonly issueTypeId: string;
  readonly summary: string;
  readonly description?: AdfDoc | null;
  readonly labels?: readonly string[];
  readonly assigneeId?: string | null;
  readonly reporterId?: string;
  readonly priorityId?: string;
  readonly dueDate?: string | null;
}

export type BasicCheck = { readonly ok: true; readonly user: UserRecord } | { readonly ok: false };

/**
 * The fake Jira's data and the operations on it, in memory and seeded deterministically. Issue dates end at
 * the start of the UTC day the state was seeded (by its clock), so relative JQL (`created >= -7d`) finds the
 * newest issues; pin `now` for byte-identical data.
 */
export class JiraSandboxState {
  readonly seed: number;
  readonly now: () => number;
  readonly cloudId: string;
  readonly rateLimits: JiraRateLimits;
  readonly oauth: JiraOAuth;
  #users = new Map<string, UserRecord>();
  #projects: ProjectRecord[] = [];
  #issues = new Map<string, IssueRecord>();
  #byKey = new Map<string, IssueRecord>();
  #locked = new Set<string>();
  #nextIssueId = 0;
  #nextCommentId = 0;
  #seededAt = 0;

  constructor(options: JiraStateOptions = {}) {
    this.seed = options.seed ?? 1;
    this.now = options.now ?? Date.now;
    this.cloudId = options.cloudId ?? SANDBOX_CLOUD_ID;
    this.rateLimits = new JiraRateLimits(options.rateLimits, this.now);
    this.oauth = new JiraOAuth(options.oauth ?? {}, this.seed, this.now, SANDBOX_ACCOUNT_ID);
    this.reset();
  }

  /** Back to the seed: data, locks, rate-limit counters and OAuth grants. */
  reset(): void {
    const anchor = Math.floor(this.now() / DAY) * DAY;
    const seeded = seedJira(this.seed, anchor);
    this.#seededAt = anchor;
    this.#users = new Map(USERS.map((user) => [user.accountId, user]));
    this.#projects = seeded.projects;
    this.#issues = new Map(seeded.issues.map((issue) => [issue.id, issue]));
    this.#byKey = new Map(seeded.issues.map((issue) => [issue.key.toUpperCase(), issue]));
    this.#nextIssueId = seeded.nextIssueId;
    this.#nextCommentId = seeded.nextCommentId;
    this.#locked.clear();
    this.rateLimits.reset();
    this.oauth.reset();
  }

  // Users

  users(): UserRecord[] {
    return [...this.#users.values()];
  }

  user(accountId: string): UserRecord | undefined {
    return this.#users.get(accountId);
  }

  userByEmail(email: string): UserRecord | undefined {
    const wanted = email.toLowerCase();
    return this.users().find((user) => user.emailAddress.toLowerCase() === wanted);
  }

  /**
   * Basic auth: the email of an active user and an API token. Any token starting with `ATATT` is accepted
   * for any user (like GitHub's prefix rule); one containing `expired` or `revoked` is not.
   */
  checkBasic(email: string, token: string): BasicCheck {
    const user = this.userByEmail(email);
    if (!user?.active || user.accountType !== "atlassian") return { ok: false };
    if (!token.startsWith("ATATT") || /expired|revoked/i.test(token)) return { ok: false };
    return { ok: true, user };
  }

  // Projects

  projects(): ProjectRecord[] {
    return [...this.#projects];
  }

  /** By key (case-insensitive) or id. */
  project(keyOrId: string): ProjectRecord | undefined {
    const upper = keyOrId.toUpperCase();
    return this.#projects.find((project) => project.key === upper || project.id === keyOrId);
  }

  visibleProjects(user: UserRecord): ProjectRecord[] {
    return this.#projects.filter((project) => canBrowse(user, project));
  }

  projectOf(issue: IssueRecord): ProjectRecord {
    const project = this.#projects.find((candidate) => candidate.id === issue.projectId);
    if (!project) throw new Error(`Issue ${issue.key} has no project`);
    return project;
  }

  // Issues

  /** By key (case-insensitive) or id. */
  issue(keyOrId: string): IssueRecord | undefined {
    return /^\d+$/.test(keyOrId) ? this.#issues.get(keyOrId) : this.#byKey.get(keyOrId.toUpperCase());
  }

  issues(): IssueRecord[] {
    return [...this.#issues.values()];
  }

  issuesOf(projectKey: string): IssueRecord[] {
    const project = this.project(projectKey);
    return project ? this.issues().filter((issue) => issue.projectId === project.id) : [];
  }

  canSee(user: UserRecord, issue: IssueRecord): boolean {
    return canBrowse(user, this.projectOf(issue));
  }

  createIssue(input: NewIssue, creatorId: string): IssueRecord {
    const now = this.now();
    const project = input.project;
    const number = project.nextNumber;
    project.nextNumber += 1;
    const issue: IssueRecord = {
      id: String(this.#nextIssueId++),
      projectId: project.id,
      number,
      key: `${project.key}-${number}`,
      summary: input.summary,
      description: input.description ?? null,
      issueTypeId: input.issueTypeId,
      statusId: project.workflow.initialStatus,
      priorityId: input.priorityId ?? DEFAULT_PRIORITY,
      resolutionId: null,
      labels: [...(input.labels ?? [])],
      assigneeId: input.assigneeId ?? null,
      reporterId: input.reporterId ?? creatorId,
      creatorId,
      created: now,
      updated: now,
      resolutionDate: null,
      statusCategoryChangeDate: now,
      dueDate: input.dueDate ?? null,
      comments: [],
    };
    this.#issues.set(issue.id, issue);
    this.#byKey.set(issue.key.toUpperCase(), issue);
    return issue;
  }

  touch(issue: IssueRecord): void {
    issue.updated = Math.max(this.now(), issue.updated);
  }

  /** The transitions available from the issue's current status. */
  transitionsOf(issue: IssueRecord): TransitionRecord[] {
    return this.projectOf(issue).workflow.transitions.filter(
      (transition) => transition.from.length === 0 || transition.from.includes(issue.statusId),
    );
  }

  applyTransition(issue: IssueRecord, transition: TransitionRecord, resolutionId?: string): void {
    const before = statusById(issue.statusId)?.category;
    const after = statusById(transition.to)?.category;
    issue.statusId = transition.to;
    if (before !== after) issue.statusCategoryChangeDate = this.now();
    if (after === "done") {
      issue.resolutionId = resolutionId ?? transition.resolution ?? issue.resolutionId;
      issue.resolutionDate = this.now();
    } else {
      issue.resolutionId = null;
      issue.resolutionDate = null;
    }
    this.touch(issue);
  }

  addComment(issue: IssueRecord, body: AdfDoc, authorId: string): CommentRecord {
    const now = this.now();
    const comment: CommentRecord = {
      id: String(this.#nextCommentId++),
      authorId,
      updateAuthorId: authorId,
      body,
      created: now,
      updated: now,
    };
    issue.comments.push(comment);
    this.touch(issue);
    return comment;
  }

  // Conflicts

  /**
   * Marks an issue as being changed by another operation: until `unlockIssue`, writes to it answer 409 (as
   * concurrent transitions do on Jira).
   */
  lockIssue(keyOrId: string): void {
    const issue = this.issue(keyOrId);
    if (!issue) throw new RangeError(`No issue ${keyOrId}`);
    this.#locked.add(issue.id);
  }

  unlockIssue(keyOrId: string): void {
    const issue = this.issue(keyOrId);
    if (issue) this.#locked.delete(issue.id);
  }

  isLocked(issue: IssueRecord): boolean {
    return this.#locked.has(issue.id);
  }

  summary(): Record<string, unknown> {
    return {
      cloudId: this.cloudId,
      seededAt: new Date(this.#seededAt).toISOString(),
      users: this.#users.size,
      projects: this.#projects.map((project) => ({
        key: project.key,
        issues: this.issuesOf(project.key).length,
        nextKey: `${project.key}-${project.nextNumber}`,
      })),
      issues: this.#issues.size,
      lockedIssues: [...this.#locked].map((id) => this.#issues.get(id)?.key),
      oauth: this.oauth.summary(),
      quotaUsage: this.rateLimits.quotaUsage(),
    };
  }
}
