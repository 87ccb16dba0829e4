import { type AdfDoc, isAdfDoc } from "./jira-adf.js";
import { ISSUE_TYPES, issueTypeById, PRIORITIES, RESOLUTIONS } from "./jira-catalog.js";
import { canBrowse, type IssueRecord, type ProjectRecord, type UserRecord } from "./jira-model.js";
import type { JiraSandboxState } from "./jira-state.js";

/**
 * The `fields` and `update` of create and edit requests, checked the way Jira checks them: every problem is
 * collected into `errors` (field → message) and answered together as one 400.
 */

export const ADF_REQUIRED =
  "Operation value must be an Atlassian Document (see the Atlassian Document Format)";

const cannotSet = (field: string) =>
  `Field '${field}' cannot be set. It is not on the appropriate screen, or unknown.`;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** What a create or edit changes, after validation. */
export interface IssueChanges {
  project?: ProjectRecord;
  issueTypeId?: string;
  summary?: string;
  description?: AdfDoc | null;
  labels?: string[];
  assigneeId?: string | null;
  reporterId?: string;
  priorityId?: string;
  dueDate?: string | null;
  comments: AdfDoc[];
}

const SETTABLE = new Set([
  "project",
  "issuetype",
  "summary",
  "description",
  "labels",
  "assignee",
  "reporter",
  "priority",
  "duedate",
]);

export class FieldParser {
  readonly errors: Record<string, string> = {};
  readonly changes: IssueChanges = { comments: [] };
  readonly #state: JiraSandboxState;
  readonly #mode: "create" | "edit";
  #project: ProjectRecord | undefined;

  constructor(state: JiraSandboxState, mode: "create" | "edit", issue?: IssueRecord) {
    this.#state = state;
    this.#mode = mode;
    this.#project = issue ? state.projectOf(issue) : undefined;
  }

  /** Parses `fields` (values to set) and `update` (operations); `viewer` is who asks (project visibility). */
  parse(fields: unknown, update: unknown, viewer: UserRecord): void {
    const values = isRecord(fields) ? fields : {};
    const operations = isRecord(update) ? update : {};
    if (this.#mode === "create") {
      this.#projectField(values.project, viewer);
      this.#issueTypeField(values.issuetype);
    }
    for (const [field, value] of Object.entries(values)) {
      if (this.#mode === "create" && (field === "project" || field === "issuetype")) continue;
      if (!SETTABLE.has(field) || (this.#mode === "edit" && field === "project")) {
        this.errors[field] = cannotSet(field);
        continue;
      }
      if (field in operations) {
        this.errors[field] = `Field '${field}' cannot be set in both 'fields' and 'update'.`;
        continue;
      }
      this.#set(field, value);
    }
    if (this.#mode === "create" && this.changes.summary === undefined && !("summary" in operations)) {
      this.errors.summary ??= "You must specify a summary of the issue.";
    }
    for (const [field, list] of Object.entries(operations)) this.#operations(field, list);
  }

  #projectField(value: unknown, viewer: UserRecord): void {
    const ref = isRecord(value) ? (value.key ?? value.id) : value;
    const project =
      typeof ref === "string" || typeof ref === "number" ? this.#state.project(String(ref)) : undefined;
    if (!project || !canBrowse(viewer, project)) {
      this.errors.project = "Specify a valid project ID or key";
      return;
    }
    this.#project = project;
    this.changes.project = project;
  }

  #issueTypeField(value: unknown): void {
    if (value === undefined || value === null) {
      this.errors.issuetype = "Specify an issue type";
      return;
    }
    const ref = isRecord(value) ? value : { id: value };
    const type =
      typeof ref.id === "string" || typeof ref.id === "number"
        ? issueTypeById(String(ref.id))
        : typeof ref.name === "string"
          ? ISSUE_TYPES.find((candidate) => candidate.name.toLowerCase() === String(ref.name).toLowerCase())
          : undefined;
    if (!type || (this.#project && !this.#project.issueTypeIds.includes(type.id))) {
      this.errors.issuetype = "The issue type selected is invalid.";
      return;
    }
    this.changes.issueTypeId = type.id;
  }

  #set(field: string, value: unknown): void {
    const setters: Record<string, (input: unknown) => void> = {
      summary: (input) => this.#summary(input),
      description: (input) => {
        if (input !== null && !isAdfDoc(input)) this.errors.description = ADF_REQUIRED;
        else this.changes.description = input;
      },
      labels: (input) => this.#labels(input, []),
      assignee: (input) => this.#user("assignee", input),
      reporter: (input) => this.#user("reporter", input),
      priority: (input) => this.#priority(input),
      duedate: (input) => this.#dueDate(input),
      issuetype: (input) => this.#issueTypeField(input),
    };
    setters[field]?.(value);
  }

  #summary(value: unknown): void {
    if (typeof value !== "string" || value.trim() === "") {
      this.errors.summary = "You must specify a summary of the issue.";
    } else if (value.length > 255) {
      this.errors.summary = "Summary must be less than 255 characters.";
    } else if (/[\r\n]/.test(value)) {
      this.errors.summary = "The summary is invalid because it contains newline characters.";
    } else {
      this.changes.summary = value;
    }
  }

  #labels(value: unknown, base: readonly string[]): void {
    if (!Array.isArray(value) || !value.every((label) => typeof label === "string")) {
      this.errors.labels = "The labels are invalid: give a list of strings.";
      return;
    }
    const bad = (value as string[]).find((label) => /\s/.test(label) || label === "" || label.length > 255);
    if (bad !== undefined) {
      this.errors.labels = `The label '${bad}' contains spaces which is invalid.`;
      return;
    }
    this.changes.labels = [...new Set([...base, ...(value as string[])])];
  }

  #user(field: "assignee" | "reporter", value: unknown): void {
    if (value === null) {
      if (field === "reporter") this.errors.reporter = "Reporter is required.";
      else this.changes.assigneeId = null;
      return;
    }
    const accountId = isRecord(value) ? value.accountId : undefined;
    if (typeof accountId !== "string") {
      this.errors[field] = `Specify a valid value for ${field} (an object with an accountId).`;
      return;
    }
    if (field === "assignee" && accountId === "-1") {
      this.changes.assigneeId = null;
      return;
    }
    const user = this.#state.user(accountId);
    const assignable =
      user?.active && user.role !== "viewer" && (!this.#project || canBrowse(user, this.#project));
    if (!assignable) {
      this.errors[field] =
        field === "assignee"
          ? `User '${accountId}' cannot be assigned issues.`
          : `User '${accountId}' does not exist.`;
      return;
    }
    if (field === "assignee") this.changes.assigneeId = accountId;
    else this.changes.reporterId = accountId;
  }

  #priority(value: unknown): void {
    const ref = isRecord(value) ? value : {};
    const priority = PRIORITIES.find(
      (candidate) =>
        candidate.id === String(ref.id ?? "") ||
        (typeof ref.name === "string" && candidate.name.toLowerCase() === ref.name.toLowerCase()),
    );
    if (!priority) this.errors.priority = "The priority selected is invalid.";
    else this.changes.priorityId = priority.id;
  }

  #dueDate(value: unknown): void {
    if (value === null) {
      this.changes.dueDate = null;
      return;
    }
    if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) {
      this.errors.duedate = `Error parsing date string: ${String(value)}`;
      return;
    }
    this.changes.dueDate = value;
  }

  /** `update: { labels: [{ add: "x" }, { remove: "y" }], summary: [{ set: "..." }], comment: [{ add: { body } }] }` */
  #operations(field: string, list: unknown): void {
    if (!Array.isArray(list)) {
      this.errors[field] = `The update operations of '${field}' must be a list.`;
      return;
    }
    if (field === "comment") {
      for (const operation of list) {
        const body = isRecord(operation) && isRecord(operation.add) ? operation.add.body : undefined;
        if (!isAdfDoc(body)) this.errors.comment = ADF_REQUIRED;
        else this.changes.comments.push(body);
      }
      return;
    }
    if (!SETTABLE.has(field) || field === "project") {
      this.errors[field] = cannotSet(field);
      return;
    }
    for (const operation of list) {
      if (!isRecord(operation)) continue;
      if ("set" in operation) this.#set(field, operation.set);
      if (field !== "labels") continue;
      const current = this.changes.labels ?? [...(this.#currentLabels ?? [])];
      if (typeof operation.add === "string") this.#labels([operation.add], current);
      if (typeof operation.remove === "string") {
        this.changes.labels = current.filter((label) => label !== operation.remove);
      }
    }
  }

  #currentLabels: readonly string[] | undefined;

  /** Labels `add`/`remove` operations start from these (the issue's labels on edit). */
  startFrom(issue: IssueRecord): this {
    this.#currentLabels = issue.labels;
    return this;
  }
}

export const resolutionByRef = (value: unknown) => {
  const ref = isRecord(value) ? value : {};
  return RESOLUTIONS.find(
    (candidate) =>
      candidate.id === String(ref.id ?? "") ||
      (typeof ref.name === "string" && candidate.name.toLowerCase() === ref.name.toLowerCase()),
  );
};

export { isRecord };
