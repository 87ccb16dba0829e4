import type { Version3Models } from "jira.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { OPS_ISSUE_COUNT } from "../src/jira/jira-seed.js";
import { adf, guardNetwork, type JiraTestSandbox, jiraFailure, startJira } from "./jira-helpers.js";

/** The real jira.js 5.4.0 Version3Client (what a Jira connector would use) against the loopback sandbox. */

let t: JiraTestSandbox;
const guard = guardNetwork();

beforeAll(async () => {
  t = await startJira();
});
afterEach(() => t.sandbox.reset());
afterAll(async () => {
  await t.sandbox.close();
  guard.restore();
  expect(guard.attempts).toEqual([]);
});

describe("jira.js Version3Client against the sandbox (Basic auth on the site URL)", () => {
  it("pages /search/jql with nextPageToken: no total, only the requested fields, no token on the last page", async () => {
    const pages: number[] = [];
    const keys = new Set<string>();
    let nextPageToken: string | undefined;
    do {
      const page: Version3Models.SearchAndReconcileResults =
        await t.jira.issueSearch.searchForIssuesUsingJqlEnhancedSearch({
          jql: "project = OPS ORDER BY key ASC",
          fields: ["summary", "status"],
          maxResults: 100,
          ...(nextPageToken ? { nextPageToken } : {}),
        });
      pages.push(page.issues?.length ?? 0);
      for (const issue of page.issues ?? []) {
        keys.add(issue.key as string);
        expect(Object.keys(issue.fields ?? {}).sort()).toEqual(["status", "summary"]);
      }
      expect(page).not.toHaveProperty("total");
      // jira.js 5's model has no `isLast`; the API sends it.
      expect((page as { isLast?: boolean }).isLast).toBe(page.nextPageToken === undefined);
      nextPageToken = page.nextPageToken;
    } while (nextPageToken);
    expect(pages).toEqual([100, 100, 100]);
    expect(keys.size).toBe(OPS_ISSUE_COUNT);
    expect([...keys].slice(0, 3)).toEqual(["OPS-1", "OPS-2", "OPS-3"]);
  });

  it("returns only ids when no fields are asked for, and caps maxResults at 100 with fields", async () => {
    const idsOnly = await t.jira.issueSearch.searchForIssuesUsingJqlEnhancedSearch({ jql: "project = WEB" });
    expect(idsOnly.issues?.[0]).toEqual({ id: expect.any(String) });
    expect(idsOnly.issues).toHaveLength(50);
    const capped = await t.jira.issueSearch.searchForIssuesUsingJqlEnhancedSearch({
      jql: "project = OPS",
      fields: ["summary"],
      maxResults: 1000,
    });
    expect(capped.issues).toHaveLength(100);
    const post = await t.jira.issueSearch.searchForIssuesUsingJqlEnhancedSearchPost({
      jql: "project = OPS AND key <= OPS-3 ORDER BY key DESC",
      fields: ["summary"],
    });
    expect(post.issues?.map((issue) => issue.key)).toEqual(["OPS-3", "OPS-2", "OPS-1"]);
    expect(post).toMatchObject({ isLast: true });
  });

  it("gets an issue with its ADF description and the transitions available from its status", async () => {
    const issue = await t.jira.issues.getIssue({ issueIdOrKey: "OPS-1", expand: ["transitions"] });
    expect(issue.key).toBe("OPS-1");
    expect(issue.fields.summary).toBe("Rotate the TLS certificate on the edge proxy");
    expect(issue.fields.status.name).toBe("In Progress");
    expect(issue.fields.assignee?.displayName).toBe("Alice Chen");
    expect((issue.fields.description as { type: string }).type).toBe("doc");
    const kinds = JSON.stringify(issue.fields.description);
    for (const kind of ["heading", "bulletList", "codeBlock", "mention", "table", "panel"]) {
      expect(kinds).toContain(`"type":"${kind}"`);
    }
    expect(issue.fields.comment.total).toBe(3);
    expect(
      issue.transitions?.map((transition) => [transition.id, transition.name, transition.to?.name]),
    ).toEqual([
      ["21", "Send to review", "In Review"],
      ["31", "Done", "Done"],
      ["41", "Back to To Do", "To Do"],
    ]);
  });

  it("creates, edits, assigns, transitions and comments; every change shows up in reads and searches", async () => {
    const created = await t.jira.issues.createIssue({
      fields: {
        project: { key: "OPS" },
        issuetype: { name: "Bug" },
        summary: "Pager storm after the jira.js upgrade",
        description: adf("Every alert fired twice."),
        labels: ["on-call"],
      },
    });
    expect(created.key).toBe(`OPS-${OPS_ISSUE_COUNT + 1}`);

    const alice = (await t.jira.userSearch.findUsers({ query: "alice" }))[0];
    expect(alice?.displayName).toBe("Alice Chen");
    await t.jira.issues.editIssue({
      issueIdOrKey: created.key,
      fields: { summary: "Pager storm after the jira.js upgrade (duplicated alerts)" },
      update: { labels: [{ add: "monitoring" }] },
    });
    await t.jira.issues.assignIssue({ issueIdOrKey: created.key, accountId: alice?.accountId as string });
    const { transitions } = await t.jira.issues.getTransitions({ issueIdOrKey: created.key });
    const start = transitions?.find((transition) => transition.name === "Start progress");
    await t.jira.issues.doTransition({ issueIdOrKey: created.key, transition: { id: start?.id as string } });
    const comment = await t.jira.issueComments.addComment({
      issueIdOrKey: created.key,
      comment: adf("Found it: the alert rule was loaded twice."),
    });
    expect(comment.author?.displayName).toBe("Sandbox User");

    const read = await t.jira.issues.getIssue({ issueIdOrKey: created.key });
    expect(read.fields.summary).toBe("Pager storm after the jira.js upgrade (duplicated alerts)");
    expect(read.fields.labels).toEqual(["on-call", "monitoring"]);
    expect(read.fields.assignee?.accountId).toBe(alice?.accountId);
    expect(read.fields.status.name).toBe("In Progress");
    expect(read.fields.reporter?.displayName).toBe("Sandbox User");

    const comments = await t.jira.issueComments.getComments({ issueIdOrKey: created.key });
    expect(comments.total).toBe(1);
    expect(comments.comments?.[0]?.id).toBe(comment.id);

    const found = await t.jira.issueSearch.searchForIssuesUsingJqlEnhancedSearch({
      jql: 'project = OPS AND assignee = "Alice Chen" AND status = "In Progress" AND labels = monitoring AND text ~ "loaded twice"',
      fields: ["summary"],
    });
    expect(found.issues?.map((issue) => issue.key)).toEqual([created.key]);

    await t.jira.issues.doTransition({ issueIdOrKey: created.key, transition: { id: "31" } });
    const closed = await t.jira.issues.getIssue({
      issueIdOrKey: created.key,
      fields: ["status", "resolution"],
    });
    expect(closed.fields.status.name).toBe("Done");
    expect(closed.fields.resolution?.name).toBe("Done");
  });

  it("pages projects by offset (startAt/maxResults/total/isLast), hiding the restricted SEC from outsiders", async () => {
    const seen: string[] = [];
    let startAt = 0;
    let pages = 0;
    for (;;) {
      const page = await t.jira.projects.searchProjects({ startAt, maxResults: 5 });
      pages += 1;
      expect(page.total).toBe(15);
      seen.push(...(page.values ?? []).map((project) => project.key as string));
      if (page.isLast) break;
      startAt += page.maxResults ?? 5;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual([...seen].sort());
    expect(seen).toEqual(expect.arrayContaining(["OPS", "WEB", "SEC"]));
    const outsider = t.client("outsider@example.com", "ATATT3xFfGF0outsider-token");
    const visible = await outsider.projects.searchProjects({ maxResults: 50 });
    expect(visible.total).toBe(14);
    const statuses = await t.jira.projects.getAllStatuses("SEC");
    expect(statuses[0]?.statuses?.map((status) => status.name)).toEqual([
      "To Do",
      "Triage",
      "In Progress",
      "Done",
    ]);
    const project = await t.jira.projects.getProject({ projectIdOrKey: "OPS" });
    expect(project.lead?.displayName).toBe("Sandbox User");
    expect(project.issueTypes?.map((type) => type.name)).toEqual(["Epic", "Task", "Bug", "Story"]);
  });
});

describe("error shapes through jira.js", () => {
  it("400 with field errors on create and edit", async () => {
    const create = await jiraFailure(
      t.jira.issues.createIssue({
        fields: {
          project: { key: "OPS" },
          issuetype: { name: "Bug" },
          summary: "",
          description: { type: "doc", content: "text" },
        } as never,
      }),
    );
    expect(create.status).toBe(400);
    expect(create.data).toEqual({
      errorMessages: [],
      errors: {
        summary: "You must specify a summary of the issue.",
        description: "Operation value must be an Atlassian Document (see the Atlassian Document Format)",
      },
    });
    const missing = await jiraFailure(
      t.jira.issues.createIssue({ fields: { summary: "No project" } as never }),
    );
    expect(missing.data.errors).toEqual({
      project: "Specify a valid project ID or key",
      issuetype: "Specify an issue type",
    });
    const edit = await jiraFailure(
      t.jira.issues.editIssue({
        issueIdOrKey: "OPS-2",
        fields: { status: { name: "Done" }, labels: ["has space"] },
      }),
    );
    expect(edit.status).toBe(400);
    expect(edit.data.errors).toEqual({
      status: "Field 'status' cannot be set. It is not on the appropriate screen, or unknown.",
      labels: "The label 'has space' contains spaces which is invalid.",
    });
  });

  it("400 for invalid JQL, with every problem listed", async () => {
    const bad = await jiraFailure(
      t.jira.issueSearch.searchForIssuesUsingJqlEnhancedSearch({ jql: "project = NOPE AND colour = red" }),
    );
    expect(bad.status).toBe(400);
    expect(bad.data).toEqual({
      errorMessages: [
        "The value 'NOPE' does not exist for the field 'project'.",
        "Field 'colour' does not exist or you do not have permission to view it.",
      ],
      errors: {},
    });
    const syntax = await jiraFailure(
      t.jira.issueSearch.searchForIssuesUsingJqlEnhancedSearch({ jql: "project = OPS AND (status = Done" }),
    );
    expect(syntax.data.errorMessages[0]).toMatch(
      /^Error in the JQL Query: Expecting '\)' but got 'end of query'\. \(line 1, character 33\)$/,
    );
    const unbounded = await jiraFailure(
      t.jira.issueSearch.searchForIssuesUsingJqlEnhancedSearch({ jql: "ORDER BY key" }),
    );
    expect(unbounded.data.errorMessages).toEqual([
      "Unbounded JQL queries are not allowed here. Please add a search restriction to your query.",
    ]);
  });

  it("401 for bad credentials, 403 for a read-only user's writes, 404 for unknown or invisible issues", async () => {
    const revoked = await jiraFailure(
      t.client(t.env.JIRA_EMAIL, "ATATT3xFfGF0revoked").myself.getCurrentUser(),
    );
    expect(revoked.status).toBe(401);
    expect(revoked.data).toEqual({
      errorMessages: ["Client must be authenticated to access this resource."],
      errors: {},
    });

    const outsider = t.client("outsider@example.com", "ATATT3xFfGF0outsider-token");
    const forbidden = await jiraFailure(
      outsider.issueComments.addComment({ issueIdOrKey: "OPS-1", comment: adf("hi") }),
    );
    expect(forbidden.status).toBe(403);
    expect(forbidden.data.errorMessages).toEqual([
      "You do not have permission to add comments in project OPS.",
    ]);

    for (const [client, key] of [
      [t.jira, "OPS-9999"],
      [outsider, "SEC-1"],
    ] as const) {
      const missing = await jiraFailure(client.issues.getIssue({ issueIdOrKey: key }));
      expect(missing.status).toBe(404);
      expect(missing.data).toEqual({
        errorMessages: ["Issue does not exist or you do not have permission to see it."],
        errors: {},
      });
    }
    expect((await t.jira.issues.getIssue({ issueIdOrKey: "SEC-1", fields: ["summary"] })).key).toBe("SEC-1");
  });

  it("409 while another operation holds the issue; 400 for a transition the status does not offer", async () => {
    t.sandbox.state.jira.lockIssue("OPS-2");
    const conflict = await jiraFailure(
      t.jira.issues.doTransition({ issueIdOrKey: "OPS-2", transition: { id: "11" } }),
    );
    expect(conflict.status).toBe(409);
    expect(conflict.data.errorMessages[0]).toContain("conflicting update");
    t.sandbox.state.jira.unlockIssue("OPS-2");
    const invalid = await jiraFailure(
      t.jira.issues.doTransition({ issueIdOrKey: "OPS-1", transition: { id: "51" } }),
    );
    expect(invalid.status).toBe(400);
    expect(invalid.data.errorMessages).toEqual(["Transition id '51' is not valid for this issue."]);
  });

  it("410 Gone on the removed /rest/api/3/search", async () => {
    const gone = await jiraFailure(t.jira.issueSearch.searchForIssuesUsingJql({ jql: "project = OPS" }));
    expect(gone.status).toBe(410);
    expect(gone.data.errorMessages[0]).toMatch(
      /^The requested API has been removed\. Please migrate to the \/rest\/api\/3\/search\/jql API/,
    );
    const post = await jiraFailure(t.jira.issueSearch.searchForIssuesUsingJqlPost({ jql: "project = OPS" }));
    expect(post.status).toBe(410);
  });

  it("429 with Retry-After, RateLimit-Reason and X-RateLimit-* (Reset in ISO 8601) from the burst and per-issue limits", async () => {
    t.sandbox.state.jira.rateLimits.configure({
      burst: { GET: 3 },
      issueWrites: [{ limit: 2, windowSeconds: 30 }],
    });
    try {
      // The burst limit counts per calendar second: ten requests at once put more than three into one second
      // however slow a loaded machine is, where four sequential ones could straddle a second boundary.
      const outcomes = await Promise.all(
        Array.from({ length: 10 }, () =>
          t.jira.myself.getCurrentUser().then(
            () => undefined,
            (error: unknown) => error,
          ),
        ),
      );
      const refused = outcomes.filter((outcome) => outcome !== undefined);
      expect(refused.length).toBeGreaterThan(0);
      const burst = await jiraFailure(Promise.reject(refused[0]));
      expect(burst.status).toBe(429);
      expect(burst.headers).toMatchObject({
        "retry-after": "1",
        "ratelimit-reason": "jira-burst-based",
        "x-ratelimit-limit": "3",
        "x-ratelimit-remaining": "0",
      });
      expect(burst.headers["x-ratelimit-reset"]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);

      for (let index = 0; index < 2; index += 1) {
        await t.jira.issueComments.addComment({ issueIdOrKey: "OPS-3", comment: adf(`write ${index}`) });
      }
      const perIssue = await jiraFailure(
        t.jira.issueComments.addComment({ issueIdOrKey: "OPS-3", comment: adf("3rd") }),
      );
      expect(perIssue.status).toBe(429);
      expect(perIssue.headers["ratelimit-reason"]).toBe("jira-per-issue-on-write");
      expect(Number(perIssue.headers["retry-after"])).toBeGreaterThanOrEqual(1);
      // Another issue is not affected.
      await t.jira.issueComments.addComment({ issueIdOrKey: "OPS-4", comment: adf("fine") });
    } finally {
      t.sandbox.state.jira.rateLimits.configure({});
    }
  });

  it("503 with Retry-After through the Jira fault flavor", async () => {
    t.sandbox.faults.set("jira", { kind: "server_error", status: 503, retryAfterSeconds: 7, count: 1 });
    const unavailable = await jiraFailure(t.jira.issues.getIssue({ issueIdOrKey: "OPS-1" }));
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers["retry-after"]).toBe("7");
    expect(unavailable.data.errorMessages).toHaveLength(1);
    expect((await t.jira.issues.getIssue({ issueIdOrKey: "OPS-1", fields: ["summary"] })).key).toBe("OPS-1");
  });
});
