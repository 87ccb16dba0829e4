import { createHash } from "node:crypto";
import type {
  IssueTypeRecord,
  PriorityRecord,
  ResolutionRecord,
  StatusCategoryKey,
  StatusCategoryRecord,
  StatusRecord,
  UserRecord,
  WorkflowRecord,
} from "./jira-model.js";

/** The fixed parts of the fake Jira site: users, statuses, workflows, issue types, priorities, resolutions. */

/** A 24-hex-digit account id (Atlassian's classic shape), stable for a name whatever the seed. */
export const accountIdFor = (name: string) =>
  createHash("sha1").update(`jira-sandbox-account:${name}`).digest("hex").slice(0, 24);

export const SANDBOX_EMAIL = "sandbox-user@example.com";
export const OUTSIDER_EMAIL = "outsider@example.com";

function user(
  name: string,
  displayName: string,
  role: UserRecord["role"],
  accountType: UserRecord["accountType"] = "atlassian",
  timeZone = "Etc/UTC",
): UserRecord {
  return {
    accountId: accountIdFor(name),
    accountType,
    displayName,
    emailAddress: accountType === "app" ? `${name}@connect.atlassian.com` : `${name}@example.com`,
    role,
    timeZone,
    active: true,
  };
}

export const USERS: readonly UserRecord[] = [
  user("sandbox-user", "Sandbox User", "admin"),
  user("alice", "Alice Chen", "member", "atlassian", "Europe/Berlin"),
  user("bob", "Bob Okafor", "member", "atlassian", "Africa/Lagos"),
  user("carol", "Carol Díaz", "member", "atlassian", "America/Mexico_City"),
  user("dmitri", "Dmitri Ivanov", "member"),
  user("erin", "Erin Walsh", "member", "atlassian", "Europe/Dublin"),
  user("farah", "Farah Haddad", "member", "atlassian", "Asia/Dubai"),
  user("gus", "Gus Lindqvist", "member", "atlassian", "Europe/Stockholm"),
  user("outsider", "Olive Outsider", "viewer"),
  user("automation", "Automation for Jira", "member", "app"),
];

export const SANDBOX_ACCOUNT_ID = accountIdFor("sandbox-user");
export const OUTSIDER_ACCOUNT_ID = accountIdFor("outsider");

/** The team members who work issues (assignees, reporters, commenters). */
export const TEAM = USERS.filter(
  (candidate) => candidate.role !== "viewer" && candidate.accountType !== "app",
);

export const STATUS_CATEGORIES: Readonly<Record<StatusCategoryKey, StatusCategoryRecord>> = {
  new: { id: 2, key: "new", name: "To Do", colorName: "blue-gray" },
  indeterminate: { id: 4, key: "indeterminate", name: "In Progress", colorName: "yellow" },
  done: { id: 3, key: "done", name: "Done", colorName: "green" },
};

export const STATUS = {
  toDo: "10000",
  inProgress: "3",
  inReview: "10001",
  done: "10002",
  triage: "10003",
} as const;

export const STATUSES: readonly StatusRecord[] = [
  { id: STATUS.toDo, name: "To Do", description: "Work that has not been started.", category: "new" },
  {
    id: STATUS.inProgress,
    name: "In Progress",
    description: "This issue is being actively worked on at the moment by the assignee.",
    category: "indeterminate",
  },
  {
    id: STATUS.inReview,
    name: "In Review",
    description: "The work is done and waits for a review.",
    category: "indeterminate",
  },
  { id: STATUS.done, name: "Done", description: "Work that is finished.", category: "done" },
  {
    id: STATUS.triage,
    name: "Triage",
    description: "A report that is being assessed.",
    category: "new",
  },
];

export const ISSUE_TYPE = { epic: "10000", task: "10001", bug: "10002", story: "10003" } as const;

export const ISSUE_TYPES: readonly IssueTypeRecord[] = [
  {
    id: ISSUE_TYPE.epic,
    name: "Epic",
    description: "A big user story that needs to be broken down.",
    subtask: false,
    hierarchyLevel: 1,
    avatarId: 10307,
  },
  {
    id: ISSUE_TYPE.task,
    name: "Task",
    description: "A small, distinct piece of work.",
    subtask: false,
    hierarchyLevel: 0,
    avatarId: 10318,
  },
  {
    id: ISSUE_TYPE.bug,
    name: "Bug",
    description: "A problem or error.",
    subtask: false,
    hierarchyLevel: 0,
    avatarId: 10303,
  },
  {
    id: ISSUE_TYPE.story,
    name: "Story",
    description: "Functionality or a feature expressed as a user goal.",
    subtask: false,
    hierarchyLevel: 0,
    avatarId: 10315,
  },
];

export const PRIORITIES: readonly PriorityRecord[] = [
  { id: "1", name: "Highest", rank: 5 },
  { id: "2", name: "High", rank: 4 },
  { id: "3", name: "Medium", rank: 3 },
  { id: "4", name: "Low", rank: 2 },
  { id: "5", name: "Lowest", rank: 1 },
];
export const DEFAULT_PRIORITY = "3";

export const RESOLUTION = { done: "10000", wontDo: "10001", duplicate: "10002", cannotReproduce: "10003" };

export const RESOLUTIONS: readonly ResolutionRecord[] = [
  { id: RESOLUTION.done, name: "Done", description: "Work has been completed on this issue." },
  { id: RESOLUTION.wontDo, name: "Won't Do", description: "This issue won't be actioned." },
  {
    id: RESOLUTION.duplicate,
    name: "Duplicate",
    description: "The problem is a duplicate of an existing issue.",
  },
  {
    id: RESOLUTION.cannotReproduce,
    name: "Cannot Reproduce",
    description: "This issue could not be reproduced at this time.",
  },
];

/** OPS, WEB and most other projects: To Do → In Progress → In Review → Done, with ways back. */
export const SOFTWARE_WORKFLOW: WorkflowRecord = {
  name: "Software workflow",
  statuses: [STATUS.toDo, STATUS.inProgress, STATUS.inReview, STATUS.done],
  initialStatus: STATUS.toDo,
  transitions: [
    { id: "11", name: "Start progress", from: [STATUS.toDo], to: STATUS.inProgress },
    { id: "21", name: "Send to review", from: [STATUS.inProgress], to: STATUS.inReview },
    {
      id: "31",
      name: "Done",
      from: [STATUS.inProgress, STATUS.inReview],
      to: STATUS.done,
      resolution: RESOLUTION.done,
    },
    { id: "41", name: "Back to To Do", from: [STATUS.inProgress, STATUS.inReview], to: STATUS.toDo },
    { id: "51", name: "Reopen", from: [STATUS.done], to: STATUS.toDo },
    { id: "61", name: "Won't do", from: [STATUS.toDo], to: STATUS.done, resolution: RESOLUTION.wontDo },
  ],
};

/** SEC: reports are triaged first. */
export const SECURITY_WORKFLOW: WorkflowRecord = {
  name: "Security triage workflow",
  statuses: [STATUS.toDo, STATUS.triage, STATUS.inProgress, STATUS.done],
  initialStatus: STATUS.toDo,
  transitions: [
    { id: "111", name: "Triage", from: [STATUS.toDo], to: STATUS.triage },
    { id: "121", name: "Start fix", from: [STATUS.triage], to: STATUS.inProgress },
    { id: "131", name: "Resolve", from: [STATUS.inProgress], to: STATUS.done, resolution: RESOLUTION.done },
    { id: "141", name: "Reject", from: [STATUS.triage], to: STATUS.done, resolution: RESOLUTION.wontDo },
    { id: "151", name: "Reopen", from: [STATUS.done], to: STATUS.toDo },
  ],
};

export const statusById = (id: string) => STATUSES.find((status) => status.id === id);
export const issueTypeById = (id: string) => ISSUE_TYPES.find((type) => type.id === id);
export const priorityById = (id: string) => PRIORITIES.find((priority) => priority.id === id);
export const resolutionById = (id: string) => RESOLUTIONS.find((resolution) => resolution.id === id);
