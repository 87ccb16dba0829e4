import { adfToText } from "./jira-adf.js";
import {
  ISSUE_TYPES,
  issueTypeById,
  PRIORITIES,
  priorityById,
  RESOLUTIONS,
  resolutionById,
  STATUS_CATEGORIES,
  STATUSES,
  statusById,
} from "./jira-catalog.js";
import { type Clause, type JqlNode, JqlSyntaxError, type Operand, parseJql } from "./jira-jql-parser.js";
import { canBrowse, type IssueRecord, type UserRecord } from "./jira-model.js";
import type { JiraSandboxState } from "./jira-state.js";

/**
 * Compiles JQL against the fake's data: field and value checks with Jira's messages (all of them at once, as
 * Jira reports them), then a predicate and a comparator. Only projects the caller can browse are searched.
 */

export class JqlError extends Error {
  override readonly name = "JqlError";
  readonly messages: readonly string[];

  constructor(messages: readonly string[]) {
    super(messages.join(" "));
    this.messages = messages;
  }
}

export interface JqlContext {
  readonly state: JiraSandboxState;
  readonly user: UserRecord;
  readonly now: number;
}

export interface CompiledJql {
  /** False for a query without a search restriction (`ORDER BY key` alone), which /search/jql refuses. */
  readonly bounded: boolean;
  matches(issue: IssueRecord): boolean;
  compare(a: IssueRecord, b: IssueRecord): number;
}

type Kind =
  | "project"
  | "key"
  | "status"
  | "statusCategory"
  | "user"
  | "labels"
  | "issuetype"
  | "priority"
  | "resolution"
  | "text"
  | "date"
  | "day"
  | "sortOnly";

interface FieldDef {
  readonly kind: Kind;
  /** The issue's single value (ids, account ids, epoch ms), null when empty. */
  readonly value?: (issue: IssueRecord, state: JiraSandboxState) => string | number | null;
  readonly text?: (issue: IssueRecord, state: JiraSandboxState) => string;
  /** Sort value; null sorts as the largest. Absent: the field cannot be sorted. */
  readonly sort?: (issue: IssueRecord, state: JiraSandboxState) => string | number | null;
}

const DAY = 86_400_000;
const MINUTE = 60_000;

const userName = (state: JiraSandboxState, accountId: string | null) =>
  accountId === null ? null : (state.user(accountId)?.displayName.toLowerCase() ?? accountId);

const commentsText = (issue: IssueRecord) =>
  issue.comments.map((comment) => adfToText(comment.body)).join(" ");

const dayOf = (date: string | null) => (date === null ? null : Date.parse(`${date}T00:00:00Z`));

const KEY_FIELD: FieldDef = {
  kind: "key",
  value: (issue) => issue.id,
  sort: (issue, state) => `${state.projectOf(issue).key}-${String(issue.number).padStart(9, "0")}`,
};
const ASSIGNEE: FieldDef = {
  kind: "user",
  value: (issue) => issue.assigneeId,
  sort: (issue, state) => userName(state, issue.assigneeId),
};
const REPORTER: FieldDef = {
  kind: "user",
  value: (issue) => issue.reporterId,
  sort: (issue, state) => userName(state, issue.reporterId),
};
const CREATOR: FieldDef = {
  kind: "user",
  value: (issue) => issue.creatorId,
  sort: (issue, state) => userName(state, issue.creatorId),
};
const ISSUE_TYPE_FIELD: FieldDef = {
  kind: "issuetype",
  value: (issue) => issue.issueTypeId,
  sort: (issue) => issueTypeById(issue.issueTypeId)?.name ?? null,
};
const CREATED: FieldDef = { kind: "date", value: (issue) => issue.created, sort: (issue) => issue.created };
const UPDATED: FieldDef = { kind: "date", value: (issue) => issue.updated, sort: (issue) => issue.updated };
const RESOLVED: FieldDef = {
  kind: "date",
  value: (issue) => issue.resolutionDate,
  sort: (issue) => issue.resolutionDate,
};
const DUE: FieldDef = {
  kind: "day",
  value: (issue) => dayOf(issue.dueDate),
  sort: (issue) => dayOf(issue.dueDate),
};

const FIELDS: Readonly<Record<string, FieldDef>> = {
  project: {
    kind: "project",
    value: (issue) => issue.projectId,
    sort: (issue, state) => state.projectOf(issue).key,
  },
  key: KEY_FIELD,
  issuekey: KEY_FIELD,
  id: KEY_FIELD,
  status: {
    kind: "status",
    value: (issue) => issue.statusId,
    sort: (issue) => STATUSES.findIndex((status) => status.id === issue.statusId),
  },
  statuscategory: {
    kind: "statusCategory",
    value: (issue) => statusById(issue.statusId)?.category ?? null,
    sort: (issue) => ["new", "indeterminate", "done"].indexOf(statusById(issue.statusId)?.category ?? "new"),
  },
  assignee: ASSIGNEE,
  reporter: REPORTER,
  creator: CREATOR,
  labels: { kind: "labels" },
  issuetype: ISSUE_TYPE_FIELD,
  type: ISSUE_TYPE_FIELD,
  priority: {
    kind: "priority",
    value: (issue) => issue.priorityId,
    sort: (issue) => priorityById(issue.priorityId)?.rank ?? null,
  },
  resolution: {
    kind: "resolution",
    value: (issue) => issue.resolutionId,
    sort: (issue) =>
      issue.resolutionId === null ? null : (resolutionById(issue.resolutionId)?.name ?? null),
  },
  summary: { kind: "text", text: (issue) => issue.summary, sort: (issue) => issue.summary.toLowerCase() },
  description: { kind: "text", text: (issue) => adfToText(issue.description) },
  comment: { kind: "text", text: commentsText },
  text: {
    kind: "text",
    text: (issue) => `${issue.summary} ${adfToText(issue.description)} ${commentsText(issue)}`,
  },
  created: CREATED,
  createddate: CREATED,
  updated: UPDATED,
  updateddate: UPDATED,
  resolved: RESOLVED,
  resolutiondate: RESOLVED,
  duedate: DUE,
  due: DUE,
  rank: { kind: "sortOnly", sort: (issue) => Number(issue.id) },
};

const OPERATORS: Readonly<Record<Kind, readonly string[]>> = {
  project: ["=", "!=", "in", "not in", "is", "is not"],
  key: ["=", "!=", "in", "not in", ">", ">=", "<", "<="],
  status: ["=", "!=", "in", "not in"],
  statusCategory: ["=", "!=", "in", "not in"],
  user: ["=", "!=", "in", "not in", "is", "is not"],
  labels: ["=", "!=", "in", "not in", "is", "is not"],
  issuetype: ["=", "!=", "in", "not in"],
  priority: ["=", "!=", "in", "not in", ">", ">=", "<", "<=", "is", "is not"],
  resolution: ["=", "!=", "in", "not in", "is", "is not"],
  text: ["~", "!~", "is", "is not"],
  date: ["=", "!=", "in", "not in", ">", ">=", "<", "<=", "is", "is not"],
  day: ["=", "!=", "in", "not in", ">", ">=", "<", "<=", "is", "is not"],
  sortOnly: [],
};

const DATE_HINT =
  "Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.";

const PERIOD_UNITS: Readonly<Record<string, number>> = { w: 7 * DAY, d: DAY, h: 3_600_000, m: MINUTE };

/** `-7d`, `4w 2d`, `-30m`: an offset in ms, or undefined when it is not a period. */
export function parsePeriod(value: string): number | undefined {
  const match = /^\s*([-+]?)\s*((?:\d+\s*[wdhm]\s*)+)$/i.exec(value);
  if (!match) return undefined;
  let total = 0;
  for (const part of (match[2] as string).matchAll(/(\d+)\s*([wdhm])/gi)) {
    total += Number(part[1]) * (PERIOD_UNITS[(part[2] as string).toLowerCase()] ?? 0);
  }
  return match[1] === "-" ? -total : total;
}

/** An absolute or relative date value, in UTC; undefined when it is neither. */
export function parseDateValue(value: string, now: number): number | undefined {
  const period = parsePeriod(value);
  if (period !== undefined) return now + period;
  const match = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/.exec(value.trim());
  if (!match) return undefined;
  const [, year, month, day, hour, minute] = match;
  const ms = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour ?? 0), Number(minute ?? 0));
  return Number.isNaN(ms) ? undefined : ms;
}

// Text search: words, "phrases" and prefix* terms, compared on light stems (fails ~ failing ~ failed).

const wordsOf = (value: string) => value.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

function stem(word: string): string {
  for (const suffix of ["ing", "ed", "es", "s"]) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 3) return word.slice(0, -suffix.length);
  }
  return word;
}

type TextTerm =
  | { readonly kind: "word"; readonly stem: string; readonly prefix: string | undefined }
  | { readonly kind: "phrase"; readonly stems: readonly string[] };

function parseTextQuery(query: string): TextTerm[] {
  const terms: TextTerm[] = [];
  for (const match of query.matchAll(/"([^"]*)"|(\S+)/g)) {
    if (match[1] !== undefined) {
      const stems = wordsOf(match[1]).map(stem);
      if (stems.length > 0) terms.push({ kind: "phrase", stems });
      continue;
    }
    const raw = match[2] as string;
    const prefix = raw.endsWith("*") ? wordsOf(raw.slice(0, -1)).join("") : undefined;
    if (prefix !== undefined) {
      if (prefix !== "") terms.push({ kind: "word", stem: prefix, prefix });
      continue;
    }
    for (const word of wordsOf(raw)) terms.push({ kind: "word", stem: stem(word), prefix: undefined });
  }
  return terms;
}

function textMatches(
  terms: readonly TextTerm[],
  words: readonly string[],
  stems: readonly string[],
): boolean {
  return terms.every((term) => {
    if (term.kind === "word") {
      return term.prefix !== undefined
        ? words.some((word) => word.startsWith(term.prefix as string))
        : stems.includes(term.stem);
    }
    for (let start = 0; start + term.stems.length <= stems.length; start += 1) {
      if (term.stems.every((wanted, offset) => stems[start + offset] === wanted)) return true;
    }
    return false;
  });
}

// Values

type Resolved = { readonly empty: true } | { readonly empty: false; readonly value: string | number };

const EMPTY: Resolved = { empty: true };

class Compiler {
  readonly #ctx: JqlContext;
  readonly errors: string[] = [];
  readonly #textCache = new Map<string, { words: string[]; stems: string[] }>();

  constructor(ctx: JqlContext) {
    this.#ctx = ctx;
  }

  field(name: string): FieldDef | undefined {
    const def = FIELDS[name.toLowerCase()];
    if (!def) this.errors.push(`Field '${name}' does not exist or you do not have permission to view it.`);
    return def;
  }

  node(node: JqlNode): (issue: IssueRecord) => boolean {
    if ("children" in node) {
      const parts = node.children.map((child) => this.node(child));
      return node.type === "and"
        ? (issue) => parts.every((part) => part(issue))
        : (issue) => parts.some((part) => part(issue));
    }
    if ("child" in node) {
      const inner = this.node(node.child);
      return (issue) => !inner(issue);
    }
    return this.clause(node);
  }

  clause(clause: Clause): (issue: IssueRecord) => boolean {
    const never = () => false;
    const def = this.field(clause.field);
    if (!def) return never;
    if (!OPERATORS[def.kind].includes(clause.operator)) {
      this.errors.push(`The operator '${clause.operator}' is not supported by the '${clause.field}' field.`);
      return never;
    }
    const operands = clause.operand.kind === "list" ? clause.operand.items : [clause.operand];
    if (clause.operand.kind === "list" && !["in", "not in"].includes(clause.operator)) {
      this.errors.push(
        `The operator '${clause.operator}' does not support a list of values for the field '${clause.field}'.`,
      );
      return never;
    }
    if (def.kind === "text") return this.textClause(clause, def);
    if (def.kind === "labels") return this.labelsClause(clause, operands);
    const resolved = operands.flatMap((operand) =>
      this.resolve(def.kind, clause.field, operand, clause.operator),
    );
    const values = new Set(
      resolved.filter((item) => !item.empty).map((item) => (item as { value: string | number }).value),
    );
    const state = this.#ctx.state;
    const get = (issue: IssueRecord) => def.value?.(issue, state) ?? null;
    switch (clause.operator) {
      case "is":
        return (issue) => get(issue) === null;
      case "is not":
        return (issue) => get(issue) !== null;
      case "=":
      case "in": {
        const hasEmpty = resolved.some((item) => item.empty);
        if (def.kind === "date") return (issue) => this.sameMinute(get(issue), values, hasEmpty);
        return (issue) => {
          const value = get(issue);
          return value === null ? hasEmpty : values.has(value);
        };
      }
      case "!=":
      case "not in":
        if (def.kind === "date")
          return (issue) => get(issue) !== null && !this.sameMinute(get(issue), values, false);
        return (issue) => {
          const value = get(issue);
          return value !== null && !values.has(value);
        };
      default:
        return this.comparison(clause, def, resolved[0]);
    }
  }

  sameMinute(value: string | number | null, values: Set<string | number>, hasEmpty: boolean): boolean {
    if (value === null) return hasEmpty;
    const minute = Math.floor(Number(value) / MINUTE);
    return [...values].some((candidate) => Math.floor(Number(candidate) / MINUTE) === minute);
  }

  comparison(clause: Clause, def: FieldDef, bound: Resolved | undefined): (issue: IssueRecord) => boolean {
    if (!bound) return () => false;
    if (bound.empty) {
      this.errors.push(
        `The operator '${clause.operator}' does not support the value 'EMPTY' for the field '${clause.field}'.`,
      );
      return () => false;
    }
    const state = this.#ctx.state;
    const test = (left: number, right: number) => {
      switch (clause.operator) {
        case ">":
          return left > right;
        case ">=":
          return left >= right;
        case "<":
          return left < right;
        default:
          return left <= right;
      }
    };
    if (def.kind === "priority") {
      const rank = priorityById(String(bound.value))?.rank ?? 0;
      return (issue) => test(priorityById(issue.priorityId)?.rank ?? 0, rank);
    }
    if (def.kind === "key") {
      const pivot = state.issue(String(bound.value)) ?? undefined;
      const [projectKey, number] = String(bound.value).split("-");
      const project = pivot ? state.projectOf(pivot) : state.project(projectKey ?? "");
      const pivotNumber = pivot ? pivot.number : Number(number);
      return (issue) => issue.projectId === project?.id && test(issue.number, pivotNumber);
    }
    const limit = Number(bound.value);
    return (issue) => {
      const value = def.value?.(issue, state) ?? null;
      return value !== null && test(Number(value), limit);
    };
  }

  labelsClause(clause: Clause, operands: readonly Operand[]): (issue: IssueRecord) => boolean {
    const resolved = operands.flatMap((operand) =>
      this.resolve("labels", clause.field, operand, clause.operator),
    );
    const hasEmpty = resolved.some((item) => item.empty);
    const wanted = new Set(
      resolved.filter((item) => !item.empty).map((item) => String((item as { value: string }).value)),
    );
    const labels = (issue: IssueRecord) => issue.labels.map((label) => label.toLowerCase());
    switch (clause.operator) {
      case "is":
        return (issue) => issue.labels.length === 0;
      case "is not":
        return (issue) => issue.labels.length > 0;
      case "=":
      case "in":
        return (issue) =>
          issue.labels.length === 0 ? hasEmpty : labels(issue).some((label) => wanted.has(label));
      default:
        return (issue) => issue.labels.length > 0 && !labels(issue).some((label) => wanted.has(label));
    }
  }

  textClause(clause: Clause, def: FieldDef): (issue: IssueRecord) => boolean {
    const state = this.#ctx.state;
    const text = (issue: IssueRecord) => def.text?.(issue, state) ?? "";
    if (clause.operator === "is" || clause.operator === "is not") {
      const empty = (issue: IssueRecord) => text(issue).trim() === "";
      return clause.operator === "is" ? empty : (issue) => !empty(issue);
    }
    const operand = clause.operand;
    if (operand.kind !== "value") {
      this.errors.push(
        `The field '${clause.field}' only supports a text value with the operator '${clause.operator}'.`,
      );
      return () => false;
    }
    const terms = parseTextQuery(operand.text);
    if (terms.length === 0) {
      this.errors.push(`The field '${clause.field}' does not support searching for an empty string.`);
      return () => false;
    }
    const matches = (issue: IssueRecord) => {
      const cacheKey = `${clause.field.toLowerCase()}\u0000${issue.id}`;
      let indexed = this.#textCache.get(cacheKey);
      if (!indexed) {
        const words = wordsOf(text(issue));
        indexed = { words, stems: words.map(stem) };
        this.#textCache.set(cacheKey, indexed);
      }
      return textMatches(terms, indexed.words, indexed.stems);
    };
    return clause.operator === "~" ? matches : (issue) => !matches(issue);
  }

  /** An operand as canonical values of the field (ids, account ids, epoch ms); records errors for unknown values. */
  resolve(kind: Kind, field: string, operand: Operand, operator: string): Resolved[] {
    if (operand.kind === "empty") return [EMPTY];
    if (operand.kind === "list")
      return operand.items.flatMap((item) => this.resolve(kind, field, item, operator));
    if (operand.kind === "function") return this.callFunction(kind, field, operand);
    const raw = operand.text;
    const found = this.lookup(kind, raw, operator);
    if (found === undefined) {
      this.errors.push(this.unknownValue(kind, field, raw));
      return [];
    }
    return [found];
  }

  unknownValue(kind: Kind, field: string, raw: string): string {
    if (kind === "date" || kind === "day")
      return `Date value '${raw}' for field '${field}' is invalid. ${DATE_HINT}`;
    if (kind === "key") {
      return /^[A-Za-z][A-Za-z0-9_]*-\d+$/.test(raw) || /^\d+$/.test(raw)
        ? `An issue with key '${raw}' does not exist for field '${field}'.`
        : `The issue key '${raw}' for field '${field}' is invalid.`;
    }
    return `The value '${raw}' does not exist for the field '${field}'.`;
  }

  lookup(kind: Kind, raw: string, operator: string): Resolved | undefined {
    const { state, user, now } = this.#ctx;
    const lower = raw.toLowerCase();
    const value = (found: string | number | undefined): Resolved | undefined =>
      found === undefined ? undefined : { empty: false, value: found };
    switch (kind) {
      case "project": {
        const project = state
          .visibleProjects(user)
          .find(
            (candidate) =>
              candidate.key.toLowerCase() === lower ||
              candidate.id === raw ||
              candidate.name.toLowerCase() === lower,
          );
        return value(project?.id);
      }
      case "key": {
        const issue = state.issue(raw);
        if (issue && canBrowse(user, state.projectOf(issue))) return value(issue.id);
        if ([">", ">=", "<", "<="].includes(operator)) {
          const match = /^([A-Za-z][A-Za-z0-9_]*)-(\d+)$/.exec(raw);
          const project = match ? state.project(match[1] as string) : undefined;
          return project && canBrowse(user, project) ? value(raw.toUpperCase()) : undefined;
        }
        return undefined;
      }
      case "status":
        return value(STATUSES.find((status) => status.name.toLowerCase() === lower || status.id === raw)?.id);
      case "statusCategory":
        return value(
          Object.values(STATUS_CATEGORIES).find(
            (category) =>
              category.name.toLowerCase() === lower || category.key === lower || String(category.id) === raw,
          )?.key,
        );
      case "user": {
        const found = state
          .users()
          .find(
            (candidate) =>
              candidate.accountId === raw ||
              candidate.emailAddress.toLowerCase() === lower ||
              candidate.displayName.toLowerCase() === lower,
          );
        return value(found?.accountId);
      }
      case "labels":
        return value(lower);
      case "issuetype":
        return value(ISSUE_TYPES.find((type) => type.name.toLowerCase() === lower || type.id === raw)?.id);
      case "priority":
        return value(
          PRIORITIES.find((priority) => priority.name.toLowerCase() === lower || priority.id === raw)?.id,
        );
      case "resolution":
        if (lower === "unresolved") return EMPTY;
        return value(
          RESOLUTIONS.find((resolution) => resolution.name.toLowerCase() === lower || resolution.id === raw)
            ?.id,
        );
      case "date":
        return value(parseDateValue(raw, now));
      case "day": {
        const ms = parseDateValue(raw, now);
        return value(ms === undefined ? undefined : Math.floor(ms / DAY) * DAY);
      }
      default:
        return undefined;
    }
  }

  callFunction(kind: Kind, field: string, operand: Extract<Operand, { kind: "function" }>): Resolved[] {
    const { user, now } = this.#ctx;
    const name = operand.name.toLowerCase();
    const invalid = () => {
      this.errors.push(
        `A value provided by the function '${operand.name}' is invalid for the field '${field}'.`,
      );
      return [];
    };
    if (name === "currentuser")
      return kind === "user" ? [{ empty: false, value: user.accountId }] : invalid();
    const dateFunctions: Record<string, (offset: number) => number> = {
      now: () => now,
      startofday: (offset) => Math.floor(now / DAY) * DAY + offset,
      endofday: (offset) => Math.floor(now / DAY) * DAY + DAY - 1 + offset,
      startofweek: (offset) => startOfWeek(now) + offset,
      endofweek: (offset) => startOfWeek(now) + 7 * DAY - 1 + offset,
      startofmonth: (offset) => startOfMonth(now, 0) + offset,
      endofmonth: (offset) => startOfMonth(now, 1) - 1 + offset,
    };
    const fn = dateFunctions[name];
    if (!fn) {
      this.errors.push(`Unable to find JQL function '${operand.name}(${operand.args.join(", ")})'.`);
      return [];
    }
    if (kind !== "date" && kind !== "day") return invalid();
    const arg = operand.args[0];
    const offset = arg === undefined ? 0 : parsePeriod(/^[-+]?\d+$/.test(arg) ? `${arg}d` : arg);
    if (offset === undefined) {
      this.errors.push(
        `The argument '${arg}' of the function '${operand.name}' is not a period such as '-1d'.`,
      );
      return [];
    }
    const ms = fn(offset);
    return [{ empty: false, value: kind === "day" ? Math.floor(ms / DAY) * DAY : ms }];
  }

  comparator(orderBy: ReturnType<typeof parseJql>["orderBy"]): (a: IssueRecord, b: IssueRecord) => number {
    const state = this.#ctx.state;
    if (orderBy.length > 7) this.errors.push("The ORDER BY clause can name at most 7 fields.");
    const keys = orderBy.flatMap((key) => {
      const def = this.field(key.field);
      if (!def) return [];
      if (!def.sort) {
        this.errors.push(`Field '${key.field}' does not support sorting.`);
        return [];
      }
      const sort = def.sort;
      return [{ sort, sign: key.direction === "desc" ? -1 : 1 }];
    });
    const byId = (a: IssueRecord, b: IssueRecord) => Number(a.id) - Number(b.id);
    if (keys.length === 0) return (a, b) => -byId(a, b);
    const last = keys[keys.length - 1]?.sign ?? 1;
    return (a, b) => {
      for (const { sort, sign } of keys) {
        const left = sort(a, state);
        const right = sort(b, state);
        if (left === right) continue;
        if (left === null) return sign;
        if (right === null) return -sign;
        const order =
          typeof left === "number" && typeof right === "number"
            ? left - right
            : String(left).localeCompare(String(right));
        if (order !== 0) return order * sign;
      }
      return byId(a, b) * last;
    };
  }
}

function startOfWeek(now: number): number {
  const day = Math.floor(now / DAY) * DAY;
  return day - new Date(day).getUTCDay() * DAY;
}

function startOfMonth(now: number, plusMonths: number): number {
  const date = new Date(now);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + plusMonths, 1);
}

/** Parses and checks `jql`; throws `JqlError` with every message Jira would give. */
export function compileJql(jql: string, ctx: JqlContext): CompiledJql {
  let query: ReturnType<typeof parseJql>;
  try {
    query = parseJql(jql);
  } catch (error) {
    if (error instanceof JqlSyntaxError) throw new JqlError([error.message]);
    throw error;
  }
  const compiler = new Compiler(ctx);
  const where = query.where ? compiler.node(query.where) : () => true;
  const compare = compiler.comparator(query.orderBy);
  if (compiler.errors.length > 0) throw new JqlError([...new Set(compiler.errors)]);
  const { state, user } = ctx;
  return {
    bounded: query.where !== undefined,
    matches: (issue) => canBrowse(user, state.projectOf(issue)) && where(issue),
    compare,
  };
}
