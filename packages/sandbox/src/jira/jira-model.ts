import type { AdfDoc } from "./jira-adf.js";

/** The fake Jira's records. Wire shapes are built from these in `jira-serialize.ts`. */

export type AccountType = "atlassian" | "app";

/** `admin` and `member` may write; a `viewer` can only read, and only unrestricted projects. */
export type UserRole = "admin" | "member" | "viewer";

export interface UserRecord {
  readonly accountId: string;
  readonly accountType: AccountType;
  readonly displayName: string;
  readonly emailAddress: string;
  readonly role: UserRole;
  readonly timeZone: string;
  readonly active: boolean;
}

export type StatusCategoryKey = "new" | "indeterminate" | "done";

export interface StatusCategoryRecord {
  readonly id: number;
  readonly key: StatusCategoryKey;
  readonly name: string;
  readonly colorName: string;
}

export interface StatusRecord {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly category: StatusCategoryKey;
}

export interface IssueTypeRecord {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly subtask: boolean;
  readonly hierarchyLevel: number;
  readonly avatarId: number;
}

export interface PriorityRecord {
  readonly id: string;
  readonly name: string;
  /** Higher is more urgent (Highest 5 … Lowest 1): what `priority > Medium` and `ORDER BY priority` use. */
  readonly rank: number;
}

export interface ResolutionRecord {
  readonly id: string;
  readonly name: string;
  readonly description: string;
}

export interface TransitionRecord {
  readonly id: string;
  readonly name: string;
  /** Status ids it is available from; empty: from every status (a global transition). */
  readonly from: readonly string[];
  readonly to: string;
  /** Resolution set on the way in (Done, Won't Do); a transition out of `done` clears it. */
  readonly resolution?: string;
}

export interface WorkflowRecord {
  readonly name: string;
  readonly statuses: readonly string[];
  readonly initialStatus: string;
  readonly transitions: readonly TransitionRecord[];
}

export interface ProjectRecord {
  readonly id: string;
  readonly key: string;
  readonly name: string;
  readonly description: string;
  readonly leadAccountId: string;
  readonly projectTypeKey: "software" | "business" | "service_desk";
  readonly style: "classic" | "next-gen";
  readonly category: string | undefined;
  readonly workflow: WorkflowRecord;
  readonly issueTypeIds: readonly string[];
  /** Account ids allowed to browse; undefined: everyone on the site. */
  readonly restrictedTo: ReadonlySet<string> | undefined;
  readonly avatarId: number;
  /** Next issue number. */
  nextNumber: number;
}

export interface CommentRecord {
  readonly id: string;
  readonly authorId: string;
  body: AdfDoc;
  updateAuthorId: string;
  readonly created: number;
  updated: number;
}

export interface IssueRecord {
  readonly id: string;
  readonly projectId: string;
  readonly number: number;
  key: string;
  summary: string;
  description: AdfDoc | null;
  issueTypeId: string;
  statusId: string;
  priorityId: string;
  resolutionId: string | null;
  labels: string[];
  assigneeId: string | null;
  readonly reporterId: string;
  readonly creatorId: string;
  readonly created: number;
  updated: number;
  resolutionDate: number | null;
  statusCategoryChangeDate: number;
  dueDate: string | null;
  readonly comments: CommentRecord[];
}

/** Who a request authenticated as, and how. */
export interface Principal {
  readonly user: UserRecord;
  /** `basic`: email + API token; `oauth`: a 3LO access token through the API gateway. */
  readonly kind: "basic" | "oauth";
  /** Rate-limit key: the API token or the OAuth grant. */
  readonly credential: string;
  /** OAuth scopes; undefined for API tokens (which carry the user's permissions). */
  readonly scopes: ReadonlySet<string> | undefined;
}

export const canWrite = (user: UserRecord) => user.role !== "viewer";

export const canBrowse = (user: UserRecord, project: ProjectRecord) =>
  project.restrictedTo === undefined || project.restrictedTo.has(user.accountId);
