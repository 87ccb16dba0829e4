import { createHash } from "node:crypto";
import { isRecord } from "../jira-fields.js";
import { type JiraContext, JiraError, type JiraRoute, type RouteResult } from "../jira-http.js";
import { compileJql, JqlError } from "../jira-jql.js";
import type { IssueRecord } from "../jira-model.js";
import { type FieldSelection, idsOnly, parseFieldSelection } from "../jira-serialize.js";

/**
 * Enhanced search (`/rest/api/3/search/jql`, GET and POST): JQL, `nextPageToken` paging (no `total`; the token
 * is absent on the last page), `fields` (only `id` when none are asked for) and `maxResults` capped at 100, or
 * 5000 when only ids/keys are requested. The removed `/rest/api/{2,3}/search` answers 410 Gone.
 */

const REMOVED =
  "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046";
const UNBOUNDED =
  "Unbounded JQL queries are not allowed here. Please add a search restriction to your query.";
const BAD_TOKEN = "The provided next page token is invalid or expired.";

interface SearchInput {
  readonly jql: string;
  readonly nextPageToken: string | undefined;
  readonly maxResults: number | undefined;
  readonly fields: readonly string[];
  readonly expand: ReadonlySet<string>;
}

const fingerprint = (jql: string) => createHash("sha1").update(jql.trim()).digest("base64url").slice(0, 10);

function encodeToken(jql: string, offset: number): string {
  return Buffer.from(JSON.stringify({ q: fingerprint(jql), o: offset })).toString("base64url");
}

function decodeToken(jql: string, token: string): number {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (
      isRecord(value) &&
      value.q === fingerprint(jql) &&
      Number.isInteger(value.o) &&
      (value.o as number) >= 0
    ) {
      return value.o as number;
    }
  } catch {
    // fall through
  }
  throw new JiraError(400, [BAD_TOKEN]);
}

/** Issues matching `jql`, sorted; 400 with Jira's messages for bad JQL. */
export function searchIssues(ctx: JiraContext, jql: string, requireBounded: boolean): IssueRecord[] {
  let compiled: ReturnType<typeof compileJql>;
  try {
    compiled = compileJql(jql, { state: ctx.state, user: ctx.principal.user, now: ctx.state.now() });
  } catch (error) {
    if (error instanceof JqlError) throw new JiraError(400, error.messages);
    throw error;
  }
  if (requireBounded && !compiled.bounded) throw new JiraError(400, [UNBOUNDED]);
  return ctx.state.issues().filter(compiled.matches).sort(compiled.compare);
}

function entry(ctx: JiraContext, issue: IssueRecord, selection: FieldSelection, expand: ReadonlySet<string>) {
  if (idsOnly(selection) && expand.size === 0) {
    return selection.include.has("key") ? { id: issue.id, key: issue.key } : { id: issue.id };
  }
  return ctx.wire.issue(issue, selection, expand);
}

function runSearch(ctx: JiraContext, input: SearchInput): RouteResult {
  const selection = parseFieldSelection(input.fields, "none");
  const cap = idsOnly(selection) ? 5000 : 100;
  const maxResults = Math.min(cap, Math.max(1, input.maxResults ?? 50));
  const offset = input.nextPageToken ? decodeToken(input.jql, input.nextPageToken) : 0;
  const matches = searchIssues(ctx, input.jql, true);
  const page = matches.slice(offset, offset + maxResults);
  const end = offset + page.length;
  const isLast = end >= matches.length;
  return {
    body: {
      issues: page.map((issue) => entry(ctx, issue, selection, input.expand)),
      ...(isLast ? {} : { nextPageToken: encodeToken(input.jql, end) }),
      isLast,
    },
    points: 1 + page.length,
  };
}

const splitList = (values: readonly string[]) =>
  values
    .flatMap((value) => value.split(","))
    .map((value) => value.trim())
    .filter(Boolean);

const searchGet: JiraRoute = {
  method: "GET",
  path: "/rest/api/3/search/jql",
  handle(ctx) {
    const maxResults = ctx.query("maxResults") === undefined ? undefined : ctx.intQuery("maxResults", 50);
    return runSearch(ctx, {
      jql: ctx.query("jql") ?? "",
      nextPageToken: ctx.query("nextPageToken") || undefined,
      maxResults,
      fields: ctx.queryAll("fields"),
      expand: new Set(splitList(ctx.queryAll("expand"))),
    });
  },
};

const searchPost: JiraRoute = {
  method: "POST",
  path: "/rest/api/3/search/jql",
  scope: "read:jira-work",
  async handle(ctx) {
    const body = await ctx.body();
    const fields = Array.isArray(body.fields) ? body.fields.filter((field) => typeof field === "string") : [];
    const expand = typeof body.expand === "string" ? splitList([body.expand]) : [];
    if (body.maxResults !== undefined && !Number.isInteger(body.maxResults)) {
      throw new JiraError(400, ["The 'maxResults' field must be a whole number."]);
    }
    return runSearch(ctx, {
      jql: typeof body.jql === "string" ? body.jql : "",
      nextPageToken:
        typeof body.nextPageToken === "string" && body.nextPageToken ? body.nextPageToken : undefined,
      maxResults: body.maxResults as number | undefined,
      fields,
      expand: new Set(expand),
    });
  },
};

const approximateCount: JiraRoute = {
  method: "POST",
  path: "/rest/api/3/search/approximate-count",
  scope: "read:jira-work",
  async handle(ctx) {
    const body = await ctx.body();
    return { body: { count: searchIssues(ctx, typeof body.jql === "string" ? body.jql : "", true).length } };
  },
};

const removed = (method: "GET" | "POST", path: string): JiraRoute => ({
  method,
  path,
  auth: "none",
  handle() {
    throw new JiraError(410, [REMOVED]);
  },
});

export const searchRoutes: readonly JiraRoute[] = [
  searchGet,
  searchPost,
  approximateCount,
  removed("GET", "/rest/api/3/search"),
  removed("POST", "/rest/api/3/search"),
  removed("GET", "/rest/api/2/search"),
  removed("POST", "/rest/api/2/search"),
  removed("POST", "/rest/api/3/search/id"),
  removed("POST", "/rest/api/3/expression/eval"),
];
