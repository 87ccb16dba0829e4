import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { createGithubAllowlist } from "../src/github-allowlist.js";
import { scopeSearchQuery } from "../src/github-search-query.js";
import { API, connector, failure, fixture, githubHeaders } from "./helpers.js";
import { seen, server } from "./msw-server.js";

const restricted = () => connector({ repositories: ["acme/*", "octo/web"] });

describe("repository allowlist", () => {
  it("refuses a repository outside it before any request", async () => {
    const github = restricted();
    for (const [tool, input] of [
      ["github_get_repository", { owner: "evil", repo: "x" }],
      ["github_list_issues", { owner: "octo", repo: "api" }],
      ["github_get_issue", { owner: "evil", repo: "x", number: 1 }],
      ["github_get_pull_request", { owner: "evil", repo: "x", number: 1 }],
      ["github_list_pull_requests", { owner: "evil", repo: "x" }],
      ["github_list_commits", { owner: "evil", repo: "x" }],
      ["github_get_file_contents", { owner: "evil", repo: "x", path: "README.md" }],
      ["github_list_repositories", { owner: "evil" }],
    ] as const) {
      const failed = await failure(github.call(tool, input));
      expect(failed.code, tool).toBe("permission_denied");
      expect(failed.hint).toContain("acme/*");
    }
    const writer = connector({ repositories: ["acme/*"], allowWrites: true });
    const failed = await failure(
      writer.call("github_create_issue", { owner: "evil", repo: "x", title: "hi" }),
    );
    expect(failed.code).toBe("permission_denied");
    expect(seen).toHaveLength(0);
  });

  it("allows repositories matching owner/* and owner/repo entries, case-insensitively", async () => {
    server.use(
      http.get(`${API}/repos/:owner/:repo`, () =>
        HttpResponse.json(fixture("repository"), { headers: githubHeaders() }),
      ),
    );
    const github = restricted();
    await github.call("github_get_repository", { owner: "acme", repo: "anything" });
    await github.call("github_get_repository", { owner: "Octo", repo: "Web" });
    expect(seen).toHaveLength(2);
  });

  it("filters repository lists to the allowlist", async () => {
    const outside = {
      ...fixture("repository"),
      name: "secret",
      full_name: "octo/secret",
      owner: { login: "octo" },
    };
    const inside = { ...fixture("repository"), name: "web", full_name: "octo/web", owner: { login: "octo" } };
    server.use(
      http.get(`${API}/user/repos`, () =>
        HttpResponse.json([fixture("repository"), outside, inside], { headers: githubHeaders() }),
      ),
    );
    const { output } = await restricted().call("github_list_repositories", {});
    expect((output.items as Array<{ fullName: string }>).map((item) => item.fullName)).toEqual([
      "acme/api",
      "octo/web",
    ]);
  });

  it("rejects malformed allowlist entries at construction", () => {
    expect(() => connector({ repositories: ["acme"] })).toThrow(/owner\/repo/);
    expect(() => connector({ repositories: ["acme/api/extra"] })).toThrow(/owner\/repo/);
  });
});

describe("search scoping", () => {
  function searchHandler(queries: string[]) {
    return http.get(`${API}/search/issues`, ({ request }) => {
      queries.push(new URL(request.url).searchParams.get("q") ?? "");
      return HttpResponse.json(fixture("search-issues"), { headers: githubHeaders({}, "search") });
    });
  }

  it("appends one qualifier per allowlist entry", async () => {
    const queries: string[] = [];
    server.use(searchHandler(queries));
    await restricted().call("github_search_issues", { query: "is:open label:bug" });
    expect(queries).toEqual(["is:open label:bug user:acme repo:octo/web"]);
  });

  it("keeps a query's own qualifiers when they are inside the allowlist", async () => {
    const queries: string[] = [];
    server.use(searchHandler(queries));
    await restricted().call("github_search_issues", { query: "is:open repo:acme/api" });
    await restricted().call("github_search_issues", { query: "is:open org:acme -repo:evil/x" });
    expect(queries).toEqual(["is:open repo:acme/api", "is:open org:acme -repo:evil/x"]);
  });

  it("leaves queries alone without an allowlist", async () => {
    const queries: string[] = [];
    server.use(searchHandler(queries));
    await connector().call("github_search_issues", { query: "is:open repo:anyone/anything" });
    expect(queries).toEqual(["is:open repo:anyone/anything"]);
  });

  it("refuses escape attempts before any request", async () => {
    const github = restricted();
    const attempts = [
      "is:open repo:evil/x",
      "bug OR repo:evil/x",
      "bug repo:acme/api OR repo:evil/x",
      "bug (repo:evil/x)",
      "bug user:evil",
      "bug org:octo",
      "bug owner:evil",
      'bug repo:"evil/x"',
      "bug REPO:evil/x",
      "bug+repo:evil/x",
      "bug repo:acme/api+repo:evil/x",
      "bug repo: evil/x",
    ];
    for (const query of attempts) {
      const failed = await failure(github.call("github_search_issues", { query }));
      expect(["permission_denied", "invalid_input"], query).toContain(failed.code);
    }
    const code = await failure(github.call("github_search_code", { query: "secret repo:evil/x" }));
    expect(code.code).toBe("permission_denied");
    expect(seen).toHaveLength(0);
  });

  it("drops results from outside the allowlist even if GitHub returns them", async () => {
    const outside = { ...fixture("issue"), repository_url: "https://api.github.com/repos/evil/x", number: 9 };
    server.use(
      http.get(`${API}/search/issues`, () =>
        HttpResponse.json(
          { total_count: 2, incomplete_results: false, items: [fixture("issue"), outside] },
          { headers: githubHeaders({}, "search") },
        ),
      ),
    );
    const { output } = await restricted().call("github_search_issues", { query: "bug" });
    expect((output.items as Array<{ number: number }>).map((item) => item.number)).toEqual([1347]);
  });

  it("scopes code search the same way", async () => {
    const queries: string[] = [];
    server.use(
      http.get(`${API}/search/code`, ({ request }) => {
        queries.push(new URL(request.url).searchParams.get("q") ?? "");
        return HttpResponse.json(fixture("search-code"), { headers: githubHeaders({}, "code_search") });
      }),
    );
    await restricted().call("github_search_code", { query: "parseConfig language:ts" });
    expect(queries).toEqual(["parseConfig language:ts user:acme repo:octo/web"]);
  });

  it("widens repo globs to their owner for the query and refuses wildcard owners", () => {
    expect(scopeSearchQuery("bug", createGithubAllowlist(["acme/api-*", "acme/web"]))).toBe(
      "bug user:acme repo:acme/web",
    );
    expect(() => scopeSearchQuery("bug", createGithubAllowlist(["ac*/api"]))).toThrow(/wildcard owner/);
  });
});
