import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { API, connector, fixture, githubHeaders } from "./helpers.js";
import { seen, server } from "./msw-server.js";

const json = (body: unknown, extra: Record<string, string> = {}, resource = "core") =>
  HttpResponse.json(body as any, { headers: githubHeaders(extra, resource) });

describe("read tools, happy paths", () => {
  it("github_get_issue returns the issue and its first comments, compact", async () => {
    server.use(
      http.get(`${API}/repos/acme/api/issues/1347`, () => json(fixture("issue"))),
      http.get(`${API}/repos/acme/api/issues/1347/comments`, ({ request }) => {
        expect(new URL(request.url).searchParams.get("per_page")).toBe("30");
        return json(fixture("issue-comments"));
      }),
    );
    const { output, metadata } = await connector().call("github_get_issue", {
      owner: "acme",
      repo: "api",
      number: 1347,
    });
    expect(output).toEqual({
      issue: {
        number: 1347,
        title: "Found a bug",
        state: "open",
        // stateReason, closedAt and isPullRequest are unset: left out, not null or false.
        author: "octocat",
        labels: ["bug"],
        assignees: ["octocat"],
        createdAt: "2011-04-22T13:33:48Z",
        updatedAt: "2011-04-22T13:33:48Z",
        comments: 2,
        url: "https://github.com/acme/api/issues/1347",
        body: "<untrusted-content>I'm having a problem with this.</untrusted-content>",
      },
      comments: [
        expect.objectContaining({
          id: 1,
          author: "octocat",
          body: "<untrusted-content>Me too</untrusted-content>",
        }),
        expect.objectContaining({ id: 2, author: "hubot", authorAssociation: "COLLABORATOR" }),
      ],
      commentsNotShown: 0,
    });
    expect(metadata.requestIds).toHaveLength(2);
    // GitHub rejects requests without a User-Agent; ours names the connector and version.
    expect(seen[0]?.headers.get("user-agent")).toMatch(/^switchyard-github\/0\.1\.0 /);
    expect(seen[0]?.headers.get("x-github-api-version")).toBe("2022-11-28");
    expect(seen[0]?.headers.get("authorization")).toMatch(/^token ghp_/);
  });

  it("github_list_issues passes filters and flags pull requests", async () => {
    const pr = {
      ...fixture("issue"),
      number: 1348,
      labels: [],
      assignees: [],
      state: "closed",
      state_reason: "completed",
      closed_at: "2024-02-01T00:00:00Z",
      pull_request: { url: "x", merged_at: null },
    };
    server.use(
      http.get(`${API}/repos/acme/api/issues`, ({ request }) => {
        const params = new URL(request.url).searchParams;
        expect(Object.fromEntries(params)).toEqual({
          state: "all",
          labels: "bug,ui",
          assignee: "octocat",
          since: "2024-01-01T00:00:00Z",
          sort: "updated",
          direction: "desc",
          per_page: "10",
        });
        return json([fixture("issue"), pr]);
      }),
    );
    const { output } = await connector().call("github_list_issues", {
      owner: "acme",
      repo: "api",
      state: "all",
      labels: ["bug", "ui"],
      assignee: "octocat",
      since: "2024-01-01T00:00:00Z",
      sort: "updated",
      limit: 10,
    });
    const items = output.items as Array<Record<string, unknown>>;
    expect(items.map((item) => [item.number, item.isPullRequest])).toEqual([
      [1347, undefined],
      [1348, true],
    ]);
    expect(items[0]).not.toHaveProperty("body");
    // Unset and empty fields are left out; set ones are there.
    expect(Object.keys(items[0] ?? {})).toEqual([
      "number",
      "title",
      "state",
      "author",
      "labels",
      "assignees",
      "createdAt",
      "updatedAt",
      "comments",
      "url",
    ]);
    expect(items[1]).toMatchObject({
      state: "closed",
      stateReason: "completed",
      closedAt: "2024-02-01T00:00:00Z",
    });
    expect(items[1]).not.toHaveProperty("labels");
    expect(items[1]).not.toHaveProperty("assignees");
    expect(output.nextCursor).toBeNull();
  });

  it("github_search_issues returns totals and summaries with their repository", async () => {
    server.use(
      http.get(`${API}/search/issues`, ({ request }) => {
        expect(new URL(request.url).searchParams.get("q")).toBe("is:open label:bug");
        return json(fixture("search-issues"), {}, "search");
      }),
    );
    const { output } = await connector().call("github_search_issues", { query: "is:open label:bug" });
    expect(output).toMatchObject({
      totalCount: 280,
      incompleteResults: false,
      ceilingReached: false,
      nextCursor: null,
      items: [{ number: 1347, repository: "acme/api", title: "Found a bug" }],
    });
    expect(output).not.toHaveProperty("note");
  });

  it("github_list_pull_requests returns compact pull requests", async () => {
    server.use(
      http.get(`${API}/repos/acme/api/pulls`, ({ request }) => {
        expect(new URL(request.url).searchParams.get("base")).toBe("main");
        return json([fixture("pull-request")]);
      }),
    );
    const { output } = await connector().call("github_list_pull_requests", {
      owner: "acme",
      repo: "api",
      base: "main",
    });
    expect(output.items).toEqual([
      {
        number: 1347,
        title: "Amazing new feature",
        state: "open",
        draft: false,
        merged: false,
        author: "octocat",
        head: "octocat:new-topic",
        base: "main",
        labels: ["bug"],
        assignees: ["octocat"],
        requestedReviewers: ["hubot"],
        createdAt: "2011-01-26T19:01:12Z",
        updatedAt: "2011-01-26T19:01:12Z",
        closedAt: null,
        mergedAt: null,
        url: "https://github.com/acme/api/pull/1347",
      },
    ]);
  });

  it("github_get_pull_request adds files, review decision and CI state of the head commit", async () => {
    const sha = "6dcb09b5b57875f334f61aebed695e2e4193db5e";
    server.use(
      http.get(`${API}/repos/acme/api/pulls/1347`, () => json(fixture("pull-request"))),
      http.get(`${API}/repos/acme/api/pulls/1347/files`, () => json(fixture("pull-request-files"))),
      http.get(`${API}/repos/acme/api/pulls/1347/reviews`, () => json(fixture("pull-request-reviews"))),
      http.get(`${API}/repos/acme/api/commits/${sha}/status`, () => json(fixture("combined-status"))),
      http.get(`${API}/repos/acme/api/commits/${sha}/check-runs`, () => json(fixture("check-runs"))),
    );
    const { output } = await connector().call("github_get_pull_request", {
      owner: "acme",
      repo: "api",
      number: 1347,
    });
    expect(output.pullRequest).toMatchObject({
      number: 1347,
      headSha: sha,
      mergeable: true,
      mergeableState: "clean",
      changedFiles: 5,
      body: "<untrusted-content>Please pull these awesome changes in!</untrusted-content>",
    });
    expect(output.files).toHaveLength(5);
    expect((output.files as unknown[])[0]).toEqual({
      filename: "src/file0.ts",
      status: "added",
      additions: 20,
      deletions: 0,
    });
    expect(output.filesNotShown).toBe(0);
    // hubot first requested changes, then approved: the latest deciding review counts.
    expect(output.reviews).toEqual({
      decision: "approved",
      latestByReviewer: [{ reviewer: "hubot", state: "approved" }],
    });
    expect(output.checks).toEqual({
      state: "failure",
      total: 5,
      failing: ["security/brakeman", "build"],
      pending: ["test"],
    });
  });

  it("github_get_pull_request degrades to checks state unknown without checks permission", async () => {
    const sha = "6dcb09b5b57875f334f61aebed695e2e4193db5e";
    const forbidden = () =>
      HttpResponse.json(fixture("resource-not-accessible"), {
        status: 403,
        headers: githubHeaders({ "x-accepted-github-permissions": "checks=read" }),
      });
    server.use(
      http.get(`${API}/repos/acme/api/pulls/1347`, () => json(fixture("pull-request"))),
      http.get(`${API}/repos/acme/api/pulls/1347/files`, () => json([])),
      http.get(`${API}/repos/acme/api/pulls/1347/reviews`, () => json([])),
      http.get(`${API}/repos/acme/api/commits/${sha}/status`, () => json(fixture("combined-status"))),
      http.get(`${API}/repos/acme/api/commits/${sha}/check-runs`, forbidden),
    );
    const { output } = await connector().call("github_get_pull_request", {
      owner: "acme",
      repo: "api",
      number: 1347,
    });
    expect(output.checks).toMatchObject({ state: "unknown", total: 0 });
    expect(output.reviews).toEqual({ decision: "none", latestByReviewer: [] });
    expect(output.filesNotShown).toBe(5);
  });

  it("github_list_commits returns sha, untrusted message, author and date", async () => {
    server.use(
      http.get(`${API}/repos/acme/api/commits`, ({ request }) => {
        const params = new URL(request.url).searchParams;
        expect(params.get("sha")).toBe("release/1.x");
        expect(params.get("path")).toBe("src/index.ts");
        return json(fixture("commits"));
      }),
    );
    const { output } = await connector().call("github_list_commits", {
      owner: "acme",
      repo: "api",
      ref: "release/1.x",
      path: "./src//index.ts",
    });
    expect(output.items).toEqual([
      {
        sha: "6dcb09b5b57875f334f61aebed695e2e4193db5e",
        message: "<untrusted-content>Fix all the bugs</untrusted-content>",
        author: "octocat",
        date: "2011-04-14T16:00:49Z",
        url: "https://github.com/acme/api/commit/6dcb09b5b57875f334f61aebed695e2e4193db5e",
      },
      expect.objectContaining({
        sha: "7638417db6d59f3c431d3e1f261cc637155684cd",
        author: "Monalisa Octocat",
      }),
    ]);
  });

  it("github_get_file_contents decodes a text file at a ref", async () => {
    server.use(
      http.get(`${API}/repos/acme/api/contents/src/index.ts`, ({ request }) => {
        expect(new URL(request.url).searchParams.get("ref")).toBe("v1.2.0");
        return json(fixture("content-file"));
      }),
    );
    const { output } = await connector().call("github_get_file_contents", {
      owner: "acme",
      repo: "api",
      path: "src/index.ts",
      ref: "v1.2.0",
    });
    expect(output).toEqual({
      type: "file",
      path: "src/index.ts",
      sha: "3d21ec53a331a6f037a91c368710b99387d012c1",
      size: 26,
      url: "https://github.com/acme/api/blob/main/src/index.ts",
      content: "<untrusted-content>export const answer = 42;\n</untrusted-content>",
    });
  });

  it("github_get_file_contents lists a directory and encodes odd file names per segment", async () => {
    server.use(
      http.get(`${API}/repos/acme/api/contents/src`, () => json(fixture("content-dir"))),
      http.get(`${API}/repos/acme/api/contents/docs/a%3Fb%23c.md`, () =>
        json({ ...fixture("content-file"), path: "docs/a?b#c.md" }),
      ),
    );
    const github = connector();
    const { output } = await github.call("github_get_file_contents", {
      owner: "acme",
      repo: "api",
      path: "src/",
    });
    expect(output).toMatchObject({
      type: "dir",
      path: "src",
      entries: [
        { name: "index.ts", path: "src/index.ts", type: "file", size: 26 },
        { name: "lib", path: "src/lib", type: "dir", size: 0 },
      ],
    });
    const odd = await github.call("github_get_file_contents", {
      owner: "acme",
      repo: "api",
      path: "docs/a?b#c.md",
    });
    expect(odd.output.path).toBe("docs/a?b#c.md");
  });

  it("github_get_file_contents refuses binary files politely and caps large ones", async () => {
    const binary = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]);
    const large = Buffer.from("a".repeat(150 * 1024));
    server.use(
      http.get(`${API}/repos/acme/api/contents/logo.png`, () =>
        json({
          ...fixture("content-file"),
          path: "logo.png",
          size: binary.length,
          content: binary.toString("base64"),
        }),
      ),
      http.get(`${API}/repos/acme/api/contents/big.txt`, () =>
        json({
          ...fixture("content-file"),
          path: "big.txt",
          size: large.length,
          content: large.toString("base64"),
        }),
      ),
    );
    const github = connector({ outputBudget: { maxBytes: 1024 * 1024, maxTokens: 1_000_000 } });
    const png = await github.call("github_get_file_contents", {
      owner: "acme",
      repo: "api",
      path: "logo.png",
    });
    expect(png.output).toMatchObject({ type: "file", binary: true, content: null });
    expect(png.output.note).toMatch(/binary file \(12 bytes\)/);
    const big = await github.call("github_get_file_contents", {
      owner: "acme",
      repo: "api",
      path: "big.txt",
    });
    expect(big.output.contentTruncated).toBe(true);
    expect(big.output.content).toBe(`<untrusted-content>${"a".repeat(100 * 1024)}</untrusted-content>`);
  });

  it("github_search_code returns file locations", async () => {
    server.use(
      http.get(`${API}/search/code`, ({ request }) => {
        expect(new URL(request.url).searchParams.get("q")).toBe("addClass in:file language:js");
        return json(fixture("search-code"), {}, "code_search");
      }),
    );
    const { output } = await connector().call("github_search_code", {
      query: "addClass in:file language:js",
    });
    expect(output).toMatchObject({
      totalCount: 7,
      ceilingReached: false,
      items: [
        {
          repository: "acme/api",
          path: "src/attributes/classes.js",
          name: "classes.js",
          sha: "d7212f9dee2dcc18f084d7df8f417b80846ded5a",
          url: "https://github.com/acme/api/blob/825ac37/src/attributes/classes.js",
        },
      ],
    });
  });

  it("github_get_repository returns a compact repository", async () => {
    server.use(http.get(`${API}/repos/acme/api`, () => json(fixture("repository"))));
    const { output } = await connector().call("github_get_repository", { owner: "acme", repo: "api" });
    expect(output).toEqual({
      fullName: "acme/api",
      description: "The ACME API",
      private: false,
      visibility: "public",
      defaultBranch: "main",
      language: "TypeScript",
      topics: ["octocat", "api"],
      stars: 80,
      forks: 9,
      openIssues: 0,
      archived: false,
      fork: false,
      hasIssues: true,
      license: "MIT",
      pushedAt: "2011-01-26T19:06:43Z",
      url: "https://github.com/acme/api",
    });
  });

  it("github_list_repositories: the credential's own, an org's, and a user's after the org 404", async () => {
    const other = {
      ...fixture("repository"),
      name: "web",
      full_name: "octocat/web",
      owner: { login: "octocat" },
    };
    server.use(
      http.get(`${API}/user/repos`, () => json([fixture("repository")])),
      http.get(`${API}/orgs/acme/repos`, () => json([fixture("repository")])),
      http.get(`${API}/orgs/octocat/repos`, () =>
        HttpResponse.json(fixture("not-found"), { status: 404, headers: githubHeaders() }),
      ),
      http.get(`${API}/users/octocat/repos`, () => json([other])),
    );
    const github = connector();
    const own = await github.call("github_list_repositories", {});
    expect((own.output.items as Array<{ fullName: string }>).map((item) => item.fullName)).toEqual([
      "acme/api",
    ]);
    const org = await github.call("github_list_repositories", { owner: "acme" });
    expect((org.output.items as Array<{ fullName: string }>).map((item) => item.fullName)).toEqual([
      "acme/api",
    ]);
    const user = await github.call("github_list_repositories", { owner: "octocat" });
    expect((user.output.items as Array<{ fullName: string }>).map((item) => item.fullName)).toEqual([
      "octocat/web",
    ]);
  });
});
