import type { FileRecord, IssueRecord, RepoRecord } from "./github-model.js";
import { fullName } from "./github-model.js";

/**
 * GitHub search syntax, the part the sandbox understands:
 *
 * - scope: `repo:o/r`, `org:o`, `user:o` (several are ORed; `-repo:` etc. exclude);
 * - issues: `is:issue|pr|open|closed|merged|unmerged|draft|public|private|locked`, `type:issue|pr`,
 *   `state:open|closed`, `label:x` (several are ANDed, `label:a,b` ORs, `-label:x` excludes), `author:`,
 *   `assignee:`, `commenter:`, `mentions:`, `involves:`, `no:label|assignee|milestone`, `milestone:`,
 *   `in:title|body|comments`, `created:`/`updated:`/`closed:` (`>=2025-01-01`, `a..b`), `comments:` (`>5`, `1..3`),
 *   `number:`;
 * - code: `path:`, `filename:`, `extension:`, `language:`, `in:file|path`;
 * - free text: every word (or "quoted phrase") must appear, case-insensitively.
 *
 * Unknown qualifiers are searched as text, as GitHub does. `AND` is ignored (it is the default); `OR`/`NOT`
 * are not supported and are searched as words.
 */

export interface Qualifier {
  readonly key: string;
  readonly value: string;
  readonly negated: boolean;
}

export interface ParsedQuery {
  readonly terms: readonly string[];
  readonly qualifiers: readonly Qualifier[];
}

const TOKEN = /(-?)([A-Za-z][\w-]*):(?:"([^"]*)"|(\S+))|"([^"]*)"|(\S+)/g;

export function parseSearchQuery(query: string, known: ReadonlySet<string>): ParsedQuery {
  const terms: string[] = [];
  const qualifiers: Qualifier[] = [];
  for (const match of query.matchAll(TOKEN)) {
    const [whole, negation, key, quoted, bare, phrase, word] = match;
    if (key !== undefined) {
      const lower = key.toLowerCase();
      const value = quoted ?? bare ?? "";
      if (known.has(lower)) qualifiers.push({ key: lower, value, negated: negation === "-" });
      else terms.push(whole.replace(/"/g, ""));
      continue;
    }
    const text = phrase ?? word ?? "";
    if (text === "AND" || text === "") continue;
    terms.push(text);
  }
  return { terms, qualifiers };
}

export const ISSUE_QUALIFIERS = new Set([
  "repo",
  "org",
  "user",
  "is",
  "type",
  "state",
  "label",
  "author",
  "assignee",
  "commenter",
  "mentions",
  "involves",
  "no",
  "milestone",
  "in",
  "created",
  "updated",
  "closed",
  "comments",
  "number",
]);

export const CODE_QUALIFIERS = new Set([
  "repo",
  "org",
  "user",
  "path",
  "filename",
  "extension",
  "language",
  "in",
]);

const eq = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Whether a repository is inside the query's repo:/org:/user: scope (ORed), and not excluded. */
export function inScope(query: ParsedQuery, repo: RepoRecord): boolean {
  const scope = query.qualifiers.filter((q) => q.key === "repo" || q.key === "org" || q.key === "user");
  const hits = (q: Qualifier) => (q.key === "repo" ? eq(q.value, fullName(repo)) : eq(q.value, repo.owner));
  if (scope.filter((q) => q.negated).some(hits)) return false;
  const positive = scope.filter((q) => !q.negated);
  return positive.length === 0 || positive.some(hits);
}

/** A range qualifier value: `>5`, `>=2025-01-01`, `<=x`, `<x`, `a..b`, `a..*`, `*..b` or an exact value. */
function compareRange(actual: string | number | null, spec: string, kind: "date" | "number"): boolean {
  if (actual === null) return false;
  const parse = (text: string) => (kind === "number" ? Number(text) : text);
  const value = actual;
  const range = /^(.+?)\.\.(.+)$/.exec(spec);
  if (range) {
    const [, low = "*", high = "*"] = range;
    const aboveLow = low === "*" || value >= parse(low);
    const belowHigh =
      high === "*" ||
      (kind === "date" && high.length <= 10 ? String(value).slice(0, 10) <= high : value <= parse(high));
    return aboveLow && belowHigh;
  }
  const op = /^(>=|<=|>|<)?(.+)$/.exec(spec);
  if (!op) return false;
  const [, operator, operand = ""] = op;
  const target = parse(operand);
  const left = kind === "date" && operand.length <= 10 ? String(value).slice(0, 10) : value;
  switch (operator) {
    case ">=":
      return left >= target;
    case "<=":
      return left <= target;
    case ">":
      return left > target;
    case "<":
      return left < target;
    default:
      return kind === "date" ? String(value).startsWith(operand) : value === target;
  }
}

function textFields(issue: IssueRecord, query: ParsedQuery): string[] {
  const wanted = query.qualifiers
    .filter((q) => q.key === "in" && !q.negated)
    .flatMap((q) => q.value.split(","));
  const fields =
    wanted.length === 0 ? ["title", "body", "comments"] : wanted.map((field) => field.toLowerCase());
  const texts: string[] = [];
  if (fields.includes("title")) texts.push(issue.title);
  if (fields.includes("body")) texts.push(issue.body ?? "");
  if (fields.includes("comments")) texts.push(...issue.comments.map((comment) => comment.body));
  return texts.map((text) => text.toLowerCase());
}

function isQualifier(issue: IssueRecord, repo: RepoRecord, value: string): boolean {
  const pull = issue.pull;
  switch (value.toLowerCase()) {
    case "issue":
      return !pull;
    case "pr":
    case "pull-request":
      return Boolean(pull);
    case "open":
      return issue.state === "open";
    case "closed":
      return issue.state === "closed";
    case "merged":
      return Boolean(pull?.mergedAt);
    case "unmerged":
      return Boolean(pull) && issue.state === "closed" && !pull?.mergedAt;
    case "draft":
      return Boolean(pull?.draft);
    case "public":
      return !repo.private;
    case "private":
      return repo.private;
    case "locked":
      return issue.locked;
    case "unlocked":
      return !issue.locked;
    default:
      return false;
  }
}

function qualifierHolds(q: Qualifier, issue: IssueRecord, repo: RepoRecord): boolean {
  const value = q.value;
  switch (q.key) {
    case "is":
      return isQualifier(issue, repo, value);
    case "type":
      return isQualifier(issue, repo, value === "pr" || value === "pull-request" ? "pr" : "issue");
    case "state":
      return eq(issue.state, value);
    case "label": {
      const wanted = value.split(",").map((name) => name.toLowerCase());
      return issue.labels.some((label) => wanted.includes(label.toLowerCase()));
    }
    case "author":
      return eq(issue.userLogin, value);
    case "assignee":
      return issue.assignees.some((login) => eq(login, value));
    case "commenter":
      return issue.comments.some((comment) => eq(comment.userLogin, value));
    case "mentions":
      return `${issue.body ?? ""} ${issue.comments.map((c) => c.body).join(" ")}`
        .toLowerCase()
        .includes(`@${value.toLowerCase()}`);
    case "involves":
      return (
        eq(issue.userLogin, value) ||
        issue.assignees.some((login) => eq(login, value)) ||
        issue.comments.some((comment) => eq(comment.userLogin, value))
      );
    case "no":
      switch (value.toLowerCase()) {
        case "label":
          return issue.labels.length === 0;
        case "assignee":
          return issue.assignees.length === 0;
        case "milestone":
          return issue.milestone === null;
        default:
          return false;
      }
    case "milestone": {
      const milestone = issue.milestone === null ? undefined : repo.milestones.get(issue.milestone);
      return milestone !== undefined && eq(milestone.title, value);
    }
    case "created":
      return compareRange(issue.createdAt, value, "date");
    case "updated":
      return compareRange(issue.updatedAt, value, "date");
    case "closed":
      return compareRange(issue.closedAt, value, "date");
    case "comments":
      return compareRange(issue.comments.length, value, "number");
    case "number":
      return compareRange(issue.number, value, "number");
    default:
      return true;
  }
}

/** The match score of an issue (0: no match). Scope is checked separately with `inScope`. */
export function scoreIssue(query: ParsedQuery, issue: IssueRecord, repo: RepoRecord): number {
  for (const q of query.qualifiers) {
    if (q.key === "repo" || q.key === "org" || q.key === "user" || q.key === "in") continue;
    const holds = qualifierHolds(q, issue, repo);
    if (holds === q.negated) return 0;
  }
  if (query.terms.length === 0) return 1;
  const texts = textFields(issue, query);
  let score = 0;
  for (const term of query.terms) {
    const lower = term.toLowerCase();
    const inTitle = issue.title.toLowerCase().includes(lower);
    const found = texts.some((text) => text.includes(lower));
    if (!found) return 0;
    score += inTitle ? 2 : 1;
  }
  return score;
}

const LANGUAGES: Readonly<Record<string, readonly string[]>> = {
  typescript: ["ts", "tsx", "mts", "cts"],
  ts: ["ts", "tsx", "mts", "cts"],
  javascript: ["js", "mjs", "cjs", "jsx"],
  js: ["js", "mjs", "cjs", "jsx"],
  markdown: ["md", "markdown"],
  md: ["md", "markdown"],
  json: ["json"],
  yaml: ["yml", "yaml"],
  yml: ["yml", "yaml"],
  html: ["html", "htm"],
  css: ["css"],
  go: ["go"],
  python: ["py"],
};

/** GitHub's legacy code search skips files over 384 KB. */
export const CODE_SEARCH_MAX_BYTES = 384 * 1024;

function isBinary(content: Buffer): boolean {
  return content.subarray(0, 8000).includes(0);
}

/** The match score of a file on the default branch (0: no match). */
export function scoreFile(query: ParsedQuery, file: FileRecord): number {
  if (file.type !== "file" || file.content.length > CODE_SEARCH_MAX_BYTES || isBinary(file.content)) return 0;
  const path = file.path;
  const name = path.split("/").pop() ?? path;
  const extension = name.includes(".") ? (name.split(".").pop() ?? "").toLowerCase() : "";
  for (const q of query.qualifiers) {
    let holds: boolean;
    switch (q.key) {
      case "path": {
        const wanted = q.value.replace(/^\/+|\/+$/g, "").toLowerCase();
        const lowerPath = path.toLowerCase();
        holds = wanted === "" || lowerPath.startsWith(wanted) || lowerPath.includes(`/${wanted}`);
        break;
      }
      case "filename":
        holds = eq(name, q.value);
        break;
      case "extension":
        holds = eq(extension, q.value.replace(/^\./, ""));
        break;
      case "language":
        holds = (LANGUAGES[q.value.toLowerCase()] ?? [q.value.toLowerCase()]).includes(extension);
        break;
      default:
        continue;
    }
    if (holds === q.negated) return 0;
  }
  const inPath = query.qualifiers.some(
    (q) => q.key === "in" && q.value.toLowerCase().split(",").includes("path"),
  );
  const inFile =
    !query.qualifiers.some((q) => q.key === "in") ||
    query.qualifiers.some((q) => q.key === "in" && q.value.toLowerCase().split(",").includes("file"));
  const content = file.content.toString("utf8").toLowerCase();
  let score = 0;
  for (const term of query.terms) {
    const lower = term.toLowerCase();
    const inContent = inFile ? content.split(lower).length - 1 : 0;
    const pathHit = inPath && path.toLowerCase().includes(lower) ? 1 : 0;
    if (inContent + pathHit === 0) return 0;
    score += inContent + pathHit;
  }
  return score;
}
