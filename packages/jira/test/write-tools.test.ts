import type { ApprovalRequest } from "@switchyard/core";
import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { connector, failure, fixture, jiraHeaders, SITE, wireIssue } from "./helpers.js";
import { seen, server } from "./msw-server.js";

const writer = (settings = {}) => connector({ allowWrites: true, ...settings });

/** Answers GET /issue/{key} (the allowlist check and the re-read after an update). */
const issueRead = (key = "OPS-42", project = "OPS") =>
  http.get(`${SITE}/rest/api/3/issue/${key}`, () =>
    HttpResponse.json(wireIssue(key, { project: { id: "1", key: project, name: project } }), {
      headers: jiraHeaders(),
    }),
  );

describe("write tools are off unless writes are allowed", () => {
  it.each([
    ["jira_create_issue", { projectKey: "OPS", issueType: "Task", summary: "x" }],
    ["jira_update_issue", { issueKey: "OPS-1", summary: "x" }],
    ["jira_transition_issue", { issueKey: "OPS-1", transition: "Done" }],
    ["jira_add_comment", { issueKey: "OPS-1", body: "x" }],
    ["jira_assign_issue", { issueKey: "OPS-1", accountId: null }],
  ])("%s is refused with nothing sent", async (tool, input) => {
    const failed = await failure(connector().call(tool, input));
    expect(failed.code).toBe("permission_denied");
    expect(seen).toHaveLength(0);
  });
});

describe("jira_create_issue", () => {
  it("POSTs the fields with the description as ADF", async () => {
    let body: any;
    server.use(
      http.post(`${SITE}/rest/api/3/issue`, async ({ request }) => {
        body = await request.json();
        return HttpResponse.json(fixture("created-issue"), { status: 201, headers: jiraHeaders() });
      }),
    );
    const { output } = await writer().call("jira_create_issue", {
      projectKey: "ops",
      issueType: "Bug",
      summary: "Export fails",
      description: "## Steps\n\n1. Open **Billing**\n\ncc @[Jane Doe](5b10ac8d82e05b22cc7d4ef5)",
      labels: ["billing"],
      priority: "2",
      assigneeAccountId: "5b10ac8d82e05b22cc7d4ef5",
      parentKey: "OPS-1",
      components: ["Exports"],
      dueDate: "2026-04-01",
    });
    expect(output).toEqual({ key: "OPS-77", id: "10077", url: `${SITE}/browse/OPS-77` });
    expect(body.fields).toMatchObject({
      project: { key: "OPS" },
      issuetype: { name: "Bug" },
      summary: "Export fails",
      labels: ["billing"],
      priority: { id: "2" },
      assignee: { accountId: "5b10ac8d82e05b22cc7d4ef5" },
      parent: { key: "OPS-1" },
      components: [{ name: "Exports" }],
      duedate: "2026-04-01",
    });
    expect(body.fields.description.type).toBe("doc");
    expect(body.fields.description.content[0]).toEqual({
      type: "heading",
      attrs: { level: 2 },
      content: [{ type: "text", text: "Steps" }],
    });
    expect(JSON.stringify(body.fields.description)).toContain(
      '{"type":"mention","attrs":{"id":"5b10ac8d82e05b22cc7d4ef5","text":"@Jane Doe","accessLevel":""}}',
    );
  });

  it("is refused for a project outside the allowlist, unless an approval clears it", async () => {
    server.use(
      http.post(`${SITE}/rest/api/3/issue`, () =>
        HttpResponse.json(fixture("created-issue"), { status: 201, headers: jiraHeaders() }),
      ),
    );
    const input = { projectKey: "SECRET", issueType: "Task", summary: "x" };
    const refused = await failure(writer({ projects: ["OPS"] }).call("jira_create_issue", input));
    expect(refused.code).toBe("permission_denied");
    expect(seen).toHaveLength(0);

    const asked: unknown[] = [];
    const approving = writer({
      projects: ["OPS"],
      approval: {
        policies: { jira_create_issue: "when-unlisted" },
        approve: async (request: ApprovalRequest) => {
          asked.push({
            summary: request.summary,
            targets: request.targets,
            unlisted: request.unlistedTargets,
          });
          return { approved: true, by: "lead" };
        },
      },
    });
    const { output } = await approving.call("jira_create_issue", input);
    expect(output.key).toBe("OPS-77");
    expect(asked).toEqual([
      { summary: 'Create a Task in SECRET: "x"', targets: ["SECRET"], unlisted: ["SECRET"] },
    ]);
  });
});

describe("jira_update_issue", () => {
  it("PUTs fields and label operations, then returns the issue as it is now", async () => {
    let body: any;
    server.use(
      issueRead(),
      http.put(`${SITE}/rest/api/3/issue/OPS-42`, async ({ request }) => {
        body = await request.json();
        return new HttpResponse(null, { status: 204, headers: jiraHeaders() });
      }),
    );
    const { output } = await writer().call("jira_update_issue", {
      issueKey: "OPS-42",
      summary: "New title",
      description: "Now with *emphasis*",
      addLabels: ["urgent"],
      removeLabels: ["stale"],
      dueDate: null,
    });
    expect(body).toEqual({
      fields: {
        summary: "New title",
        description: {
          version: 1,
          type: "doc",
          content: [
            {
              type: "paragraph",
              content: [
                { type: "text", text: "Now with " },
                { type: "text", text: "emphasis", marks: [{ type: "em" }] },
              ],
            },
          ],
        },
        duedate: null,
      },
      update: { labels: [{ add: "urgent" }, { remove: "stale" }] },
    });
    expect(output.key).toBe("OPS-42");
  });

  it("refuses an update with nothing to change, or labels both replaced and edited", async () => {
    expect((await failure(writer().call("jira_update_issue", { issueKey: "OPS-1" }))).code).toBe(
      "invalid_input",
    );
    expect(
      (
        await failure(
          writer().call("jira_update_issue", { issueKey: "OPS-1", labels: ["a"], addLabels: ["b"] }),
        )
      ).code,
    ).toBe("invalid_input");
    expect(seen).toHaveLength(0);
  });

  it("checks the project the issue is in now: an old key of a moved issue does not get through", async () => {
    server.use(issueRead("OPS-42", "SECRET"));
    const failed = await failure(
      writer({ projects: ["OPS"] }).call("jira_update_issue", { issueKey: "OPS-42", summary: "x" }),
    );
    expect(failed.code).toBe("permission_denied");
    expect(seen.map((request) => request.method)).toEqual(["GET"]);
  });
});

describe("jira_transition_issue", () => {
  const transitionHandlers = (posted: any[]) => [
    http.get(`${SITE}/rest/api/3/issue/OPS-42/transitions`, () =>
      HttpResponse.json(fixture("transitions"), { headers: jiraHeaders() }),
    ),
    http.post(`${SITE}/rest/api/3/issue/OPS-42/transitions`, async ({ request }) => {
      posted.push(await request.json());
      return new HttpResponse(null, { status: 204, headers: jiraHeaders() });
    }),
  ];

  it.each([
    ["by name, any case", "in progress", "21"],
    ["by id", "31", "31"],
    ["by target status name", "To Do", "11"],
  ])("resolves a transition %s", async (_how, transition, id) => {
    const posted: any[] = [];
    server.use(...transitionHandlers(posted));
    const { output } = await writer().call("jira_transition_issue", { issueKey: "OPS-42", transition });
    expect(posted).toEqual([{ transition: { id } }]);
    expect(output.transition).toMatchObject({ id });
  });

  it("sends a comment and a resolution with the transition", async () => {
    const posted: any[] = [];
    server.use(...transitionHandlers(posted));
    const { output } = await writer().call("jira_transition_issue", {
      issueKey: "OPS-42",
      transition: "Done",
      comment: "Fixed in **1.4.2**",
      resolution: "Fixed",
    });
    expect(posted[0]).toEqual({
      transition: { id: "31" },
      fields: { resolution: { name: "Fixed" } },
      update: {
        comment: [
          {
            add: {
              body: {
                version: 1,
                type: "doc",
                content: [
                  {
                    type: "paragraph",
                    content: [
                      { type: "text", text: "Fixed in " },
                      { type: "text", text: "1.4.2", marks: [{ type: "strong" }] },
                    ],
                  },
                ],
              },
            },
          },
        ],
      },
    });
    expect(output).toEqual({
      issueKey: "OPS-42",
      transition: { id: "31", name: "Done", toStatus: "Done", toStatusCategory: "done" },
      status: "Done",
    });
  });

  it("refuses an ambiguous name, listing the candidates, and sends nothing", async () => {
    const posted: any[] = [];
    server.use(...transitionHandlers(posted));
    const failed = await failure(
      writer().call("jira_transition_issue", { issueKey: "OPS-42", transition: "close" }),
    );
    expect(failed.code).toBe("invalid_input");
    expect(failed.message).toContain('"Close" (id 41, to Done), "Close" (id 51, to To Do)');
    expect(failed.hint).toContain("id");
    expect(posted).toEqual([]);
  });

  it("refuses an unknown transition, listing the available ones", async () => {
    const posted: any[] = [];
    server.use(...transitionHandlers(posted));
    const failed = await failure(
      writer().call("jira_transition_issue", { issueKey: "OPS-42", transition: "Reopen" }),
    );
    expect(failed.code).toBe("invalid_input");
    expect(failed.message).toContain(
      'Available: "To Do" (id 11, to To Do), "In Progress" (id 21, to In Progress)',
    );
    expect(failed.details!.available as unknown[]).toHaveLength(5);
    expect(posted).toEqual([]);
  });
});

describe("jira_add_comment", () => {
  it("POSTs the body as ADF", async () => {
    let body: any;
    server.use(
      http.post(`${SITE}/rest/api/3/issue/OPS-42/comment`, async ({ request }) => {
        body = await request.json();
        return HttpResponse.json(fixture("comment"), { status: 201, headers: jiraHeaders() });
      }),
    );
    const { output } = await writer().call("jira_add_comment", {
      issueKey: "OPS-42",
      body: "- [x] deployed\n- [ ] verify",
    });
    expect(body.body.content[0].type).toBe("taskList");
    expect(output).toEqual({
      id: "10200",
      created: "2026-03-05T08:00:00.000+0100",
      url: `${SITE}/browse/OPS-42?focusedCommentId=10200`,
    });
  });

  it("asks for approval naming the project when the allowlist does not list it", async () => {
    const preview = writer({
      projects: ["OPS"],
      approval: {
        policies: { jira_add_comment: "when-unlisted" },
        approve: async () => ({ approved: false }),
      },
    }).previewApproval("jira_add_comment", { issueKey: "SECRET-3", body: "hello" });
    expect(preview).toMatchObject({
      required: true,
      summary: 'Comment on SECRET-3: "hello"',
      targets: ["SECRET"],
      unlistedTargets: ["SECRET"],
    });
  });
});

describe("jira_assign_issue", () => {
  it.each([
    ["assigns", "5b10ac8d82e05b22cc7d4ef5"],
    ["unassigns", null],
  ])("%s", async (_what, accountId) => {
    let body: any;
    server.use(
      http.put(`${SITE}/rest/api/3/issue/OPS-42/assignee`, async ({ request }) => {
        body = await request.json();
        return new HttpResponse(null, { status: 204, headers: jiraHeaders() });
      }),
    );
    const { output } = await writer().call("jira_assign_issue", { issueKey: "OPS-42", accountId });
    expect(body).toEqual({ accountId });
    expect(output).toEqual({ issueKey: "OPS-42", assignee: accountId });
  });

  it("refuses an account id that is not one", async () => {
    const failed = await failure(
      writer().call("jira_assign_issue", { issueKey: "OPS-42", accountId: "../admin?x=1" }),
    );
    expect(failed.code).toBe("invalid_input");
    expect(seen).toHaveLength(0);
  });
});
