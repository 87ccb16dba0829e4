import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { createJiraAllowlist } from "../src/jira-allowlist.js";
import { scopeJql, splitJql } from "../src/jira-jql.js";
import { connector, failure, jiraHeaders, SITE, wireIssue } from "./helpers.js";
import { seen, server } from "./msw-server.js";

const allowlist = createJiraAllowlist(["OPS", "web"]);
const open = createJiraAllowlist(undefined);
const SCOPE = 'project in ("OPS", "WEB")';

describe("splitJql", () => {
  it("splits a trailing top-level ORDER BY, case-insensitively and across whitespace", () => {
    expect(splitJql("status = Open order   by updated DESC, key")).toEqual({
      clause: "status = Open",
      orderBy: "updated DESC, key",
    });
    expect(splitJql("ORDER BY created")).toEqual({ clause: "", orderBy: "created" });
    expect(splitJql('summary ~ "order by"')).toEqual({ clause: 'summary ~ "order by"', orderBy: undefined });
    expect(splitJql("reorder = 1 AND border by x")).toEqual({
      clause: "reorder = 1 AND border by x",
      orderBy: undefined,
    });
    expect(splitJql('status = Open ORDER BY "Story Points" ASC, cf[10016] DESC').orderBy).toBe(
      '"Story Points" ASC, cf[10016] DESC',
    );
  });

  it("reads quoted strings the way Jira does: both quote kinds, backslash escapes", () => {
    expect(splitJql(`summary ~ "a ) b" AND text ~ 'it\\'s (x' ORDER BY key`)).toEqual({
      clause: `summary ~ "a ) b" AND text ~ 'it\\'s (x'`,
      orderBy: "key",
    });
    expect(splitJql('summary ~ "a \\" ) OR (project = SECRET"').clause).toBe(
      'summary ~ "a \\" ) OR (project = SECRET"',
    );
  });

  it.each([
    [") OR (1=1", "never opened"],
    ["status = Open) OR (project = SECRET", "never opened"],
    ["(status = Open", "never closed"],
    ['summary ~ "unterminated ) OR project = SECRET', "double quote is never closed"],
    ["summary ~ 'unterminated", "single quote is never closed"],
    ['summary ~ "ends with a backslash\\', "ends inside a quoted string"],
    ["status = Open /* ) OR project = SECRET */", "no comments"],
    ["status = Open -- ) OR (project = SECRET", "no comments"],
    ["status = Open // comment", "no comments"],
    ["summary ~ x\\) OR project = SECRET", "backslash outside a quoted string"],
    ["(status = Open ORDER BY key) OR project = SECRET", "ORDER BY inside parentheses"],
    ["status = Open ORDER BY key ORDER BY created", "more than one ORDER BY"],
    ["status = Open ORDER BY key OR project = SECRET", "field names only"],
    ["status = Open ORDER BY created, project = SECRET", "field names only"],
    ["status = Open ORDER BY created) OR (project = SECRET", "never opened"],
    ["status = Open ORDER BY", "without a field"],
    ["status = Open ORDER BY key; project = SECRET", "field names only"],
  ])("refuses %s", (jql, reason) => {
    expect(() => splitJql(jql)).toThrowError(
      expect.objectContaining({ code: "invalid_input", message: expect.stringContaining(reason) }),
    );
  });
});

describe("scopeJql", () => {
  it("confines every clause to the allowlist, whatever it says", () => {
    expect(scopeJql("x OR project = SECRET", allowlist)).toBe(`${SCOPE} AND (x OR project = SECRET)`);
    expect(scopeJql("project = SECRET", allowlist)).toBe(`${SCOPE} AND (project = SECRET)`);
    expect(scopeJql("project != OPS OR project is EMPTY ORDER BY key", allowlist)).toBe(
      `${SCOPE} AND (project != OPS OR project is EMPTY) ORDER BY key`,
    );
    expect(scopeJql("ORDER BY updated DESC", allowlist)).toBe(`${SCOPE} ORDER BY updated DESC`);
    expect(scopeJql('summary ~ "foo)" OR project = SECRET', allowlist)).toBe(
      `${SCOPE} AND (summary ~ "foo)" OR project = SECRET)`,
    );
    expect(scopeJql("(a = 1) OR (b = 2)", allowlist)).toBe(`${SCOPE} AND ((a = 1) OR (b = 2))`);
  });

  it("leaves JQL alone without an allowlist, but still checks it", () => {
    expect(scopeJql("  project = OPS ORDER BY key ", open)).toBe("project = OPS ORDER BY key");
    expect(() => scopeJql(") OR (1=1", open)).toThrowError(
      expect.objectContaining({ code: "invalid_input" }),
    );
  });
});

describe("jira_search_issues with an allowlist", () => {
  const searchHandler = (jqlSeen: string[]) =>
    http.post(`${SITE}/rest/api/3/search/jql`, async ({ request }) => {
      const body = (await request.json()) as { jql: string };
      jqlSeen.push(body.jql);
      // The server answers with an issue from outside the allowlist too: the tool must drop it.
      return HttpResponse.json(
        { issues: [wireIssue("OPS-1"), wireIssue("SECRET-9")], isLast: true },
        { headers: jiraHeaders() },
      );
    });

  it.each([
    ["x OR project = SECRET", `${SCOPE} AND (x OR project = SECRET)`],
    ['summary ~ "a ) OR (b" ORDER BY key', `${SCOPE} AND (summary ~ "a ) OR (b") ORDER BY key`],
    ["ORDER BY rank", `${SCOPE} ORDER BY rank`],
  ])("sends %s as %s and drops hits outside the allowlist", async (jql, sent) => {
    const jqlSeen: string[] = [];
    server.use(searchHandler(jqlSeen));
    const jira = connector({ projects: ["OPS", "WEB"] });
    const { output } = await jira.call("jira_search_issues", { jql });
    expect(jqlSeen).toEqual([sent]);
    expect(output.jql).toBe(sent);
    expect((output.items as { key: string }[]).map((item) => item.key)).toEqual(["OPS-1"]);
  });

  it.each([") OR (1=1", "status = Open /* x */", "status = Open ORDER BY key OR project = SECRET"])(
    "refuses %s before sending anything",
    async (jql) => {
      const jira = connector({ projects: ["OPS"] });
      const failed = await failure(jira.call("jira_search_issues", { jql }));
      expect(failed.code).toBe("invalid_input");
      expect(failed.details).toMatchObject({ field: "jql" });
      expect(seen).toHaveLength(0);
    },
  );

  it("refuses a glob or malformed allowlist entry at construction", () => {
    expect(() => connector({ projects: ["OPS*"] })).toThrow(/not a Jira project key/);
    expect(() => connector({ projects: ["1AB"] })).toThrow(/not a Jira project key/);
  });
});
