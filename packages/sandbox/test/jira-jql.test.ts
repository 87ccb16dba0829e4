import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adfToText } from "../src/jira/jira-adf.js";
import { statusById } from "../src/jira/jira-catalog.js";
import type { IssueRecord } from "../src/jira/jira-model.js";
import { OPS_ISSUE_COUNT, SEC_ISSUE_COUNT, WEB_ISSUE_COUNT } from "../src/jira/jira-seed.js";
import { JiraSandboxState } from "../src/jira/jira-state.js";
import { guardNetwork, type JiraTestSandbox, startJira } from "./jira-helpers.js";

/** JQL over loopback HTTP, checked against the sandbox's own records. */

const NOW = Date.parse("2026-03-02T15:30:00Z");
const DAY = 86_400_000;
let t: JiraTestSandbox;
const guard = guardNetwork();

beforeAll(async () => {
  t = await startJira({ now: () => NOW });
});
afterAll(async () => {
  await t.sandbox.close();
  guard.restore();
  expect(guard.attempts).toEqual([]);
});

const state = () => t.sandbox.state.jira;
const alice = () => state().userByEmail("alice@example.com")?.accountId as string;

/** Every key `jql` finds, following nextPageToken. */
async function keys(jql: string, authorization?: string): Promise<string[]> {
  const found: string[] = [];
  let token: string | undefined;
  do {
    const params = new URLSearchParams({ jql, fields: "summary", maxResults: "100" });
    if (token) params.set("nextPageToken", token);
    const response = await t.request("GET", `/rest/api/3/search/jql?${params}`, undefined, authorization);
    const body = (await response.json()) as {
      issues: { key: string }[];
      nextPageToken?: string;
      errorMessages?: string[];
    };
    if (response.status !== 200) throw new Error(`${response.status} ${JSON.stringify(body)}`);
    found.push(...body.issues.map((issue) => issue.key));
    token = body.nextPageToken;
  } while (token);
  return found;
}

async function errors(jql: string): Promise<string[]> {
  const response = await t.request("GET", `/rest/api/3/search/jql?jql=${encodeURIComponent(jql)}`);
  expect(response.status).toBe(400);
  const body = (await response.json()) as { errorMessages: string[]; errors: Record<string, string> };
  expect(body.errors).toEqual({});
  return body.errorMessages;
}

const sorted = (list: readonly string[]) => [...list].sort();
const where = (test: (issue: IssueRecord) => boolean, projects = ["OPS", "WEB", "SEC", "DATA", "MOB"]) =>
  sorted(
    state()
      .issues()
      .filter((issue) => projects.includes(state().projectOf(issue).key) && test(issue))
      .map((issue) => issue.key),
  );
const statusName = (issue: IssueRecord) => statusById(issue.statusId)?.name;

describe("JQL: fields and operators", () => {
  it("project = X and project in (A, B)", async () => {
    expect(await keys("project = OPS")).toHaveLength(OPS_ISSUE_COUNT);
    expect(await keys("project in (WEB, sec)")).toHaveLength(WEB_ISSUE_COUNT + SEC_ISSUE_COUNT);
    expect(await keys('project = "Web Platform"')).toHaveLength(WEB_ISSUE_COUNT);
  });

  it("status, statusCategory and issuetype by name", async () => {
    expect(sorted(await keys('project = OPS AND status = "In Progress"'))).toEqual(
      where((issue) => statusName(issue) === "In Progress", ["OPS"]),
    );
    expect(sorted(await keys("project = OPS AND status in ('To Do', \"In Review\")"))).toEqual(
      where((issue) => ["To Do", "In Review"].includes(statusName(issue) as string), ["OPS"]),
    );
    expect(sorted(await keys("project = WEB AND statusCategory != Done AND issuetype = Bug"))).toEqual(
      where(
        (issue) => statusById(issue.statusId)?.category !== "done" && issue.issueTypeId === "10002",
        ["WEB"],
      ),
    );
  });

  it("assignee and reporter: account id, email, display name, currentUser(), EMPTY; != leaves out the unassigned", async () => {
    const mine = where((issue) => issue.assigneeId === alice());
    expect(mine.length).toBeGreaterThan(10);
    expect(sorted(await keys(`assignee = ${alice()}`))).toEqual(mine);
    expect(sorted(await keys('assignee = "Alice Chen"'))).toEqual(mine);
    expect(sorted(await keys('reporter = "alice@example.com"'))).toEqual(
      where((issue) => issue.reporterId === alice()),
    );
    const me = state().userByEmail("sandbox-user@example.com")?.accountId;
    expect(sorted(await keys("assignee = currentUser()"))).toEqual(where((issue) => issue.assigneeId === me));
    const unassigned = where((issue) => issue.assigneeId === null, ["OPS"]);
    expect(unassigned.length).toBeGreaterThan(0);
    expect(sorted(await keys("project = OPS AND assignee IS EMPTY"))).toEqual(unassigned);
    expect(sorted(await keys(`project = OPS AND assignee != ${alice()}`))).toEqual(
      where((issue) => issue.assigneeId !== null && issue.assigneeId !== alice(), ["OPS"]),
    );
  });

  it("labels: =, in, != and IS EMPTY", async () => {
    expect(sorted(await keys("labels = tls"))).toEqual(where((issue) => issue.labels.includes("tls")));
    expect(sorted(await keys("project = OPS AND labels in (cost, flaky)"))).toEqual(
      where((issue) => issue.labels.some((label) => ["cost", "flaky"].includes(label)), ["OPS"]),
    );
    expect(sorted(await keys("project = OPS AND labels != tls"))).toEqual(
      where((issue) => issue.labels.length > 0 && !issue.labels.includes("tls"), ["OPS"]),
    );
    expect(sorted(await keys("project = OPS AND labels is EMPTY"))).toEqual(
      where((issue) => issue.labels.length === 0, ["OPS"]),
    );
  });

  it("text ~ and summary ~: every word, light stemming, prefixes and quoted phrases", async () => {
    const words = (issue: IssueRecord) =>
      `${issue.summary} ${adfToText(issue.description)} ${issue.comments.map((c) => adfToText(c.body)).join(" ")}`.toLowerCase();
    expect(sorted(await keys('project = OPS AND text ~ "rollback"'))).toEqual(
      where((issue) => words(issue).includes("rollback"), ["OPS"]),
    );
    expect(sorted(await keys('summary ~ "returns 502"'))).toEqual(
      where((issue) => /returns 502/.test(issue.summary)),
    );
    // "fail" matches "fails" (stem), "certif*" matches "certificate".
    expect(await keys('summary ~ "login fail"')).toEqual(await keys('summary ~ "login fails"'));
    expect(await keys('project = OPS AND summary ~ "certif*" AND key = OPS-1')).toEqual(["OPS-1"]);
    expect(await keys('summary ~ "\\"edge proxy\\"" AND project = OPS')).toContain("OPS-1");
    expect(await keys('project = OPS AND summary ~ "\\"proxy edge\\""')).not.toContain("OPS-1");
    expect(await keys('project = OPS AND comment ~ "canary healthy" AND key = OPS-1')).toEqual(["OPS-1"]);
  });

  it("created/updated against relative periods, dates and date functions", async () => {
    const recent = where((issue) => issue.created >= NOW - 7 * DAY, ["OPS"]);
    expect(recent.length).toBeGreaterThan(3);
    expect(sorted(await keys("project = OPS AND created >= -7d"))).toEqual(recent);
    expect(sorted(await keys('project = OPS AND created >= "-1w"'))).toEqual(recent);
    const since = Date.parse("2026-02-01T00:00:00Z");
    expect(
      sorted(await keys('project = OPS AND created >= "2026-02-01" AND updated < "2026/02/20 12:00"')),
    ).toEqual(
      where((issue) => issue.created >= since && issue.updated < Date.parse("2026-02-20T12:00:00Z"), ["OPS"]),
    );
    expect(sorted(await keys("project = OPS AND created >= startOfDay(-7)"))).toEqual(
      where((issue) => issue.created >= Math.floor(NOW / DAY) * DAY - 7 * DAY, ["OPS"]),
    );
    expect(sorted(await keys("project = OPS AND resolved IS EMPTY"))).toEqual(
      where((issue) => issue.resolutionDate === null, ["OPS"]),
    );
  });

  it("AND, OR, NOT and parentheses", async () => {
    const expected = where(
      (issue) =>
        (issue.labels.includes("tls") || issue.labels.includes("cost")) && statusName(issue) !== "Done",
      ["OPS"],
    );
    expect(
      sorted(await keys("project = OPS AND (labels = tls OR labels = cost) AND NOT status = Done")),
    ).toEqual(expected);
    expect(
      sorted(await keys("project = OPS && (labels = tls || labels = cost) && !(status = Done)")),
    ).toEqual(expected);
    expect(sorted(await keys("project = SEC OR project = WEB AND labels = tls"))).toEqual(
      where(
        (issue) =>
          state().projectOf(issue).key === "SEC" ||
          (state().projectOf(issue).key === "WEB" && issue.labels.includes("tls")),
      ),
    );
  });

  it("ORDER BY field ASC|DESC, several fields, and key ranges", async () => {
    const byCreated = await keys("project = OPS ORDER BY created DESC");
    expect(byCreated.slice(0, 2)).toEqual([`OPS-${OPS_ISSUE_COUNT}`, `OPS-${OPS_ISSUE_COUNT - 1}`]);
    const byPriority = await keys("project = WEB ORDER BY priority DESC, key ASC");
    const ranks = byPriority.map((key) => Number(state().issue(key)?.priorityId));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    const firstHighest = byPriority.filter((key) => state().issue(key)?.priorityId === "1");
    expect(firstHighest).toEqual(
      [...firstHighest].sort((a, b) => Number(a.split("-")[1]) - Number(b.split("-")[1])),
    );
    expect(await keys("project = OPS AND key > OPS-297 ORDER BY key ASC")).toEqual([
      "OPS-298",
      "OPS-299",
      "OPS-300",
    ]);
    expect(await keys("key in (OPS-2, WEB-1) ORDER BY key DESC")).toEqual(["WEB-1", "OPS-2"]);
  });

  it("only searches projects the caller can browse", async () => {
    const outsider = t.basic("outsider@example.com", "ATATT3xFfGF0outsider");
    expect(await keys("project in (OPS, WEB) AND labels = security", outsider)).toEqual(
      await keys("project in (OPS, WEB) AND labels = security"),
    );
    expect(await keys("labels = security", outsider)).not.toContain(
      (await keys("project = SEC AND labels = security"))[0],
    );
    const response = await t.request(
      "GET",
      `/rest/api/3/search/jql?jql=${encodeURIComponent("project = SEC")}`,
      undefined,
      outsider,
    );
    expect(await response.json()).toEqual({
      errorMessages: ["The value 'SEC' does not exist for the field 'project'."],
      errors: {},
    });
  });

  it("sees created issues immediately", async () => {
    const created = await t.request("POST", "/rest/api/3/issue", {
      fields: { project: { key: "OPS" }, issuetype: { id: "10001" }, summary: "Fresh zebra task" },
    });
    expect(created.status).toBe(201);
    expect(await keys('project = OPS AND created >= -1h AND summary ~ "zebra"')).toEqual([
      `OPS-${OPS_ISSUE_COUNT + 1}`,
    ]);
    t.sandbox.reset();
  });
});

describe("JQL: errors as Jira words them", () => {
  it("syntax: reserved characters, unclosed strings, missing operators and values, stray words", async () => {
    expect(await errors("project = OPS AND summary ~ fo#o")).toEqual([
      "Error in the JQL Query: The character '#' is a reserved JQL character. You must enclose it in a string or use the escape '\\u0023' instead. (line 1, character 31)",
    ]);
    expect(await errors('summary ~ "unclosed')).toEqual([
      "Error in the JQL Query: The quoted string 'unclosed' has not been completed. (line 1, character 11)",
    ]);
    expect((await errors("project OPS"))[0]).toBe(
      "Error in the JQL Query: Expecting operator but got 'OPS'. The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'. (line 1, character 9)",
    );
    expect(await errors("project =")).toEqual([
      "Error in the JQL Query: Expecting either a value, list or function but got 'end of query'. (line 1, character 10)",
    ]);
    expect(await errors("project = OPS status = Done")).toEqual([
      "Error in the JQL Query: Expecting either 'OR' or 'AND' but got 'status'. (line 1, character 15)",
    ]);
    expect((await errors("project = OPS AND\nstatus WAS Done"))[0]).toMatch(/\(line 2, character 8\)$/);
  });

  it("semantics: operators a field does not support, unknown values, functions, dates, keys and sort fields", async () => {
    expect(await errors('summary = "x"')).toEqual([
      "The operator '=' is not supported by the 'summary' field.",
    ]);
    expect(await errors("status ~ Done")).toEqual([
      "The operator '~' is not supported by the 'status' field.",
    ]);
    expect(await errors("status = Nope AND assignee = nobody")).toEqual([
      "The value 'Nope' does not exist for the field 'status'.",
      "The value 'nobody' does not exist for the field 'assignee'.",
    ]);
    expect(await errors("assignee = membersOf(devs)")).toEqual([
      "Unable to find JQL function 'membersOf(devs)'.",
    ]);
    expect(await errors("project = currentUser()")).toEqual([
      "A value provided by the function 'currentUser' is invalid for the field 'project'.",
    ]);
    expect(await errors('created > "last week"')).toEqual([
      "Date value 'last week' for field 'created' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.",
    ]);
    expect(await errors("key = OPS-9999")).toEqual([
      "An issue with key 'OPS-9999' does not exist for field 'key'.",
    ]);
    expect(await errors("project = OPS ORDER BY text")).toEqual(["Field 'text' does not support sorting."]);
    expect(await errors('text ~ "  " AND project = OPS')).toEqual([
      "The field 'text' does not support searching for an empty string.",
    ]);
  });
});

describe("seeded data", () => {
  it("is deterministic per seed and day, with realistic ADF and comments", () => {
    const a = new JiraSandboxState({ seed: 7, now: () => NOW });
    const b = new JiraSandboxState({ seed: 7, now: () => NOW });
    const c = new JiraSandboxState({ seed: 8, now: () => NOW });
    const picture = (s: JiraSandboxState) =>
      JSON.stringify(
        s
          .issues()
          .map((issue) => [issue.key, issue.summary, issue.assigneeId, issue.labels, issue.description]),
      );
    expect(picture(a)).toBe(picture(b));
    expect(picture(a)).not.toBe(picture(c));
    const ops = a.issuesOf("OPS");
    expect(ops).toHaveLength(OPS_ISSUE_COUNT);
    const all = JSON.stringify(ops.map((issue) => issue.description));
    for (const kind of [
      "heading",
      "bulletList",
      "orderedList",
      "codeBlock",
      "mention",
      "table",
      "panel",
      "inlineCard",
    ]) {
      expect(all).toContain(`"type":"${kind}"`);
    }
    expect(all).toContain('"type":"link"');
    expect(ops.filter((issue) => issue.comments.length > 0).length).toBeGreaterThan(OPS_ISSUE_COUNT / 2);
    expect(new Set(ops.map((issue) => issue.assigneeId)).size).toBeGreaterThan(5);
    expect(a.projects()).toHaveLength(15);
    expect(a.users().every((user) => /^[0-9a-f]{24}$/.test(user.accountId))).toBe(true);
  });
});
