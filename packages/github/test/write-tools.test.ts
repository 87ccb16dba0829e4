import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { API, connector, failure, fixture, githubHeaders } from "./helpers.js";
import { seen, server } from "./msw-server.js";

const repo = { owner: "acme", repo: "api" };

describe("write tools", () => {
  it("are refused without allowWrites, and nothing reaches GitHub", async () => {
    const github = connector();
    for (const [tool, input] of [
      ["github_create_issue", { ...repo, title: "New" }],
      ["github_update_issue", { ...repo, number: 1, state: "closed" }],
      ["github_add_comment", { ...repo, number: 1, body: "hi" }],
      ["github_create_pull_request", { ...repo, title: "PR", head: "feature", base: "main" }],
    ] as const) {
      const failed = await failure(github.call(tool, input));
      expect(failed.code, tool).toBe("permission_denied");
      expect(failed.notApplied).toBe(true);
    }
    expect(seen).toHaveLength(0);
    expect(github.enabledTools().map((tool) => tool.name)).not.toContain("github_create_issue");
    expect(github.tools.map((tool) => tool.name)).toContain("github_create_issue");
  });

  it("github_create_issue posts the fields and returns the new issue", async () => {
    server.use(
      http.post(`${API}/repos/acme/api/issues`, async ({ request }) => {
        expect(await request.json()).toEqual({
          title: "Found a bug",
          body: "Steps to reproduce",
          labels: ["bug"],
          assignees: ["octocat"],
        });
        return HttpResponse.json(fixture("issue"), { status: 201, headers: githubHeaders() });
      }),
    );
    const { output } = await connector({ allowWrites: true }).call("github_create_issue", {
      ...repo,
      title: "Found a bug",
      body: "Steps to reproduce",
      labels: ["bug"],
      assignees: ["octocat"],
    });
    expect(output).toMatchObject({
      number: 1347,
      url: "https://github.com/acme/api/issues/1347",
      state: "open",
    });
  });

  it("github_update_issue sends only the given fields, and is retried after a 5xx because it is idempotent", async () => {
    let calls = 0;
    server.use(
      http.patch(`${API}/repos/acme/api/issues/1347`, async ({ request }) => {
        calls += 1;
        expect(await request.json()).toEqual({ state: "closed", state_reason: "not_planned", labels: [] });
        return calls === 1
          ? HttpResponse.json({ message: "Server Error" }, { status: 502, headers: githubHeaders() })
          : HttpResponse.json(
              { ...fixture("issue"), state: "closed", state_reason: "not_planned" },
              { headers: githubHeaders() },
            );
      }),
    );
    const { output } = await connector({ allowWrites: true }).call("github_update_issue", {
      ...repo,
      number: 1347,
      state: "closed",
      stateReason: "not_planned",
      labels: [],
    });
    expect(output).toMatchObject({ state: "closed", stateReason: "not_planned" });
    expect(calls).toBe(2);
  });

  it("github_update_issue needs at least one change", async () => {
    const failed = await failure(
      connector({ allowWrites: true }).call("github_update_issue", { ...repo, number: 1 }),
    );
    expect(failed.code).toBe("invalid_input");
  });

  it("github_add_comment is not retried after an ambiguous failure", async () => {
    server.use(
      http.post(`${API}/repos/acme/api/issues/1347/comments`, () =>
        HttpResponse.json({ message: "Server Error" }, { status: 502, headers: githubHeaders() }),
      ),
    );
    const failed = await failure(
      connector({ allowWrites: true }).call("github_add_comment", { ...repo, number: 1347, body: "Thanks!" }),
    );
    expect(failed.code).toBe("upstream_unavailable");
    expect(seen).toHaveLength(1);
  });

  it("github_add_comment returns the comment id and url", async () => {
    server.use(
      http.post(`${API}/repos/acme/api/issues/1347/comments`, async ({ request }) => {
        expect(await request.json()).toEqual({ body: "Thanks!" });
        return HttpResponse.json(fixture("comment"), { status: 201, headers: githubHeaders() });
      }),
    );
    const { output } = await connector({ allowWrites: true }).call("github_add_comment", {
      ...repo,
      number: 1347,
      body: "Thanks!",
    });
    expect(output).toEqual({
      id: 3,
      url: "https://github.com/acme/api/issues/1347#issuecomment-3",
      createdAt: "2011-04-14T16:00:49Z",
    });
  });

  it("github_create_pull_request opens a pull request from a fork branch", async () => {
    server.use(
      http.post(`${API}/repos/acme/api/pulls`, async ({ request }) => {
        expect(await request.json()).toEqual({
          title: "Amazing new feature",
          head: "octocat:new-topic",
          base: "main",
          draft: true,
        });
        return HttpResponse.json(fixture("pull-request"), { status: 201, headers: githubHeaders() });
      }),
    );
    const { output } = await connector({ allowWrites: true }).call("github_create_pull_request", {
      ...repo,
      title: "Amazing new feature",
      head: "octocat:new-topic",
      base: "main",
      draft: true,
    });
    expect(output).toMatchObject({ number: 1347, head: "octocat:new-topic", base: "main" });
  });

  it("write annotations tell clients what each tool does", () => {
    const byName = Object.fromEntries(
      connector({ allowWrites: true })
        .describeTools()
        .map((tool) => [tool.name, tool]),
    );
    expect(byName.github_update_issue?.annotations).toMatchObject({ readOnly: false, idempotent: true });
    expect(byName.github_add_comment?.annotations).toMatchObject({ readOnly: false, idempotent: false });
    expect(byName.github_create_issue?.annotations).toMatchObject({ readOnly: false, idempotent: false });
    expect(byName.github_create_pull_request?.annotations).toMatchObject({
      readOnly: false,
      idempotent: false,
    });
  });
});
