import {
  issueTypeById,
  priorityById,
  resolutionById,
  STATUS_CATEGORIES,
  statusById,
} from "./jira-catalog.js";
import type {
  CommentRecord,
  IssueRecord,
  ProjectRecord,
  StatusCategoryKey,
  TransitionRecord,
  UserRecord,
} from "./jira-model.js";
import type { JiraSandboxState } from "./jira-state.js";

/** Jira's JSON shapes, built from the records. `self` links point at the base the request came in on. */

export interface JiraLinks {
  /** Root of the REST API as the client called it: the site, or `…/ex/jira/{cloudId}` on the gateway. */
  readonly api: string;
  /** The site URL (avatars, browse links). */
  readonly site: string;
}

/** Jira's timestamp format: `2025-01-06T09:00:00.000+0000`. */
export const jiraDate = (ms: number) => new Date(ms).toISOString().replace("Z", "+0000");

/** Every field an issue has, in Jira's order; `comment` is not navigable (`*navigable` leaves it out). */
export const ISSUE_FIELDS = [
  "statuscategorychangedate",
  "issuetype",
  "project",
  "fixVersions",
  "resolution",
  "resolutiondate",
  "created",
  "priority",
  "labels",
  "issuelinks",
  "assignee",
  "updated",
  "status",
  "components",
  "description",
  "summary",
  "creator",
  "subtasks",
  "reporter",
  "duedate",
  "comment",
] as const;

const FIELD_NAMES: Readonly<Record<string, string>> = {
  statuscategorychangedate: "Status Category Changed",
  issuetype: "Issue Type",
  project: "Project",
  fixVersions: "Fix versions",
  resolution: "Resolution",
  resolutiondate: "Resolved",
  created: "Created",
  priority: "Priority",
  labels: "Labels",
  issuelinks: "Linked Issues",
  assignee: "Assignee",
  updated: "Updated",
  status: "Status",
  components: "Components",
  description: "Description",
  summary: "Summary",
  creator: "Creator",
  subtasks: "Sub-tasks",
  reporter: "Reporter",
  duedate: "Due date",
  comment: "Comment",
};

/** What the `fields` parameter asks for: nothing (ids only), everything, navigable fields, or a list. */
export interface FieldSelection {
  readonly base: "none" | "all" | "navigable";
  readonly include: ReadonlySet<string>;
  readonly exclude: ReadonlySet<string>;
}

/** Parses `fields` values (`summary,status`, `*all`, `*navigable`, `-comment`), repeated or comma-joined. */
export function parseFieldSelection(
  values: readonly string[],
  fallback: FieldSelection["base"],
): FieldSelection {
  const parts = values
    .flatMap((value) => value.split(","))
    .map((part) => part.trim())
    .filter(Boolean);
  let base: FieldSelection["base"] = parts.length === 0 ? fallback : "none";
  const include = new Set<string>();
  const exclude = new Set<string>();
  for (const part of parts) {
    if (part === "*all") base = "all";
    else if (part === "*navigable") base = base === "all" ? "all" : "navigable";
    else if (part.startsWith("-")) exclude.add(part.slice(1));
    else include.add(part);
  }
  return { base, include, exclude };
}

export function selectedFields(selection: FieldSelection): string[] {
  return ISSUE_FIELDS.filter((field) => {
    if (selection.exclude.has(field)) return false;
    if (selection.include.has(field)) return true;
    return selection.base === "all" || (selection.base === "navigable" && field !== "comment");
  });
}

/** True when the selection names no issue field (only `id`/`key`, or nothing). */
export const idsOnly = (selection: FieldSelection) => selectedFields(selection).length === 0;

const AVATAR_SIZES = ["48x48", "24x24", "16x16", "32x32"] as const;

export class JiraWire {
  readonly #state: JiraSandboxState;
  readonly links: JiraLinks;

  constructor(state: JiraSandboxState, links: JiraLinks) {
    this.#state = state;
    this.links = links;
  }

  avatarUrls(type: "user" | "project" | "issuetype", id: string | number): Record<string, string> {
    return Object.fromEntries(
      AVATAR_SIZES.map((size) => [
        size,
        `${this.links.site}/rest/api/3/universal_avatar/view/type/${type}/avatar/${id}?size=${size.split("x")[0]}`,
      ]),
    );
  }

  /** A user as other people see them: no email address (Atlassian hides it by default). */
  user(user: UserRecord, options: { email?: boolean } = {}): Record<string, unknown> {
    return {
      self: `${this.links.api}/rest/api/3/user?accountId=${user.accountId}`,
      accountId: user.accountId,
      accountType: user.accountType,
      ...(options.email ? { emailAddress: user.emailAddress } : {}),
      avatarUrls: this.avatarUrls("user", user.accountId),
      displayName: user.displayName,
      active: user.active,
      timeZone: user.timeZone,
      ...(options.email ? { locale: "en_US" } : {}),
    };
  }

  userRef(accountId: string | null): Record<string, unknown> | null {
    if (accountId === null) return null;
    const user = this.#state.user(accountId);
    return user ? this.user(user) : null;
  }

  statusCategory(key: StatusCategoryKey): Record<string, unknown> {
    const category = STATUS_CATEGORIES[key];
    return {
      self: `${this.links.api}/rest/api/3/statuscategory/${category.id}`,
      id: category.id,
      key: category.key,
      colorName: category.colorName,
      name: category.name,
    };
  }

  status(id: string): Record<string, unknown> {
    const status = statusById(id);
    if (!status) return { id };
    return {
      self: `${this.links.api}/rest/api/3/status/${status.id}`,
      description: status.description,
      iconUrl: `${this.links.site}/images/icons/statuses/generic.png`,
      name: status.name,
      untranslatedName: status.name,
      id: status.id,
      statusCategory: this.statusCategory(status.category),
    };
  }

  issueType(id: string): Record<string, unknown> {
    const type = issueTypeById(id);
    if (!type) return { id };
    return {
      self: `${this.links.api}/rest/api/3/issuetype/${type.id}`,
      id: type.id,
      description: type.description,
      iconUrl: `${this.links.site}/rest/api/2/universal_avatar/view/type/issuetype/avatar/${type.avatarId}?size=medium`,
      name: type.name,
      subtask: type.subtask,
      avatarId: type.avatarId,
      hierarchyLevel: type.hierarchyLevel,
    };
  }

  priority(id: string): Record<string, unknown> {
    const priority = priorityById(id);
    return {
      self: `${this.links.api}/rest/api/3/priority/${id}`,
      iconUrl: `${this.links.site}/images/icons/priorities/${(priority?.name ?? "medium").toLowerCase()}.svg`,
      name: priority?.name ?? id,
      id,
    };
  }

  resolution(id: string | null): Record<string, unknown> | null {
    if (id === null) return null;
    const resolution = resolutionById(id);
    return {
      self: `${this.links.api}/rest/api/3/resolution/${id}`,
      id,
      description: resolution?.description ?? "",
      name: resolution?.name ?? id,
    };
  }

  projectRef(project: ProjectRecord): Record<string, unknown> {
    return {
      self: `${this.links.api}/rest/api/3/project/${project.id}`,
      id: project.id,
      key: project.key,
      name: project.name,
      projectTypeKey: project.projectTypeKey,
      simplified: project.style === "next-gen",
      avatarUrls: this.avatarUrls("project", project.avatarId),
    };
  }

  /** A project as `/project/search` lists it; `expand` adds description, lead, issueTypes, url. */
  project(project: ProjectRecord, expand: ReadonlySet<string>): Record<string, unknown> {
    const lead = this.#state.user(project.leadAccountId);
    return {
      expand: "description,lead,issueTypes,url,projectKeys,permissions,insight",
      ...this.projectRef(project),
      ...(expand.has("description") ? { description: project.description } : {}),
      ...(expand.has("lead") && lead ? { lead: this.user(lead) } : {}),
      ...(expand.has("issuetypes")
        ? { issueTypes: project.issueTypeIds.map((id) => this.issueType(id)) }
        : {}),
      ...(expand.has("url") ? { url: `${this.links.site}/browse/${project.key}` } : {}),
      ...(project.category
        ? {
            projectCategory: {
              self: `${this.links.api}/rest/api/3/projectCategory/10000`,
              id: "10000",
              name: project.category,
              description: `${project.category} projects`,
            },
          }
        : {}),
      style: project.style,
      isPrivate: project.restrictedTo !== undefined,
      properties: {},
    };
  }

  /** `GET /project/{key}`: everything. */
  projectDetail(project: ProjectRecord): Record<string, unknown> {
    return {
      ...this.project(project, new Set(["description", "lead", "issuetypes", "url"])),
      components: [],
      versions: [],
      assigneeType: "UNASSIGNED",
      roles: {
        Administrators: `${this.links.api}/rest/api/3/project/${project.id}/role/10002`,
        Member: `${this.links.api}/rest/api/3/project/${project.id}/role/10003`,
      },
    };
  }

  comment(issue: IssueRecord, comment: CommentRecord): Record<string, unknown> {
    return {
      self: `${this.links.api}/rest/api/3/issue/${issue.id}/comment/${comment.id}`,
      id: comment.id,
      author: this.userRef(comment.authorId),
      body: comment.body,
      updateAuthor: this.userRef(comment.updateAuthorId),
      created: jiraDate(comment.created),
      updated: jiraDate(comment.updated),
      jsdPublic: true,
    };
  }

  transition(transition: TransitionRecord): Record<string, unknown> {
    return {
      id: transition.id,
      name: transition.name,
      to: this.status(transition.to),
      hasScreen: false,
      isGlobal: transition.from.length === 0,
      isInitial: false,
      isAvailable: true,
      isConditional: false,
      isLooped: false,
    };
  }

  field(issue: IssueRecord, field: string): unknown {
    const state = this.#state;
    switch (field) {
      case "statuscategorychangedate":
        return jiraDate(issue.statusCategoryChangeDate);
      case "issuetype":
        return this.issueType(issue.issueTypeId);
      case "project":
        return this.projectRef(state.projectOf(issue));
      case "resolution":
        return this.resolution(issue.resolutionId);
      case "resolutiondate":
        return issue.resolutionDate === null ? null : jiraDate(issue.resolutionDate);
      case "created":
        return jiraDate(issue.created);
      case "updated":
        return jiraDate(issue.updated);
      case "priority":
        return this.priority(issue.priorityId);
      case "labels":
        return [...issue.labels];
      case "assignee":
        return this.userRef(issue.assigneeId);
      case "reporter":
        return this.userRef(issue.reporterId);
      case "creator":
        return this.userRef(issue.creatorId);
      case "status":
        return this.status(issue.statusId);
      case "description":
        return issue.description;
      case "summary":
        return issue.summary;
      case "duedate":
        return issue.dueDate;
      case "comment":
        return {
          comments: issue.comments.map((comment) => this.comment(issue, comment)),
          self: `${this.links.api}/rest/api/3/issue/${issue.id}/comment`,
          maxResults: issue.comments.length,
          total: issue.comments.length,
          startAt: 0,
        };
      default:
        return [];
    }
  }

  /** An issue with the selected fields; `transitions` and `names` expansions as Jira adds them. */
  issue(issue: IssueRecord, selection: FieldSelection, expand: ReadonlySet<string>): Record<string, unknown> {
    const fields = selectedFields(selection);
    const body: Record<string, unknown> = {
      expand: "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations",
      id: issue.id,
      self: `${this.links.api}/rest/api/3/issue/${issue.id}`,
      key: issue.key,
      fields: Object.fromEntries(fields.map((field) => [field, this.field(issue, field)])),
    };
    if (expand.has("transitions")) {
      body.transitions = this.#state.transitionsOf(issue).map((transition) => this.transition(transition));
    }
    if (expand.has("names")) {
      body.names = Object.fromEntries(fields.map((field) => [field, FIELD_NAMES[field] ?? field]));
    }
    return body;
  }
}
