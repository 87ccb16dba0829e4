import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GithubTestClient, githubSandbox, OUTSIDER_TOKEN } from "./helpers.js";

let gh: GithubTestClient;

beforeAll(async () => {
  // These tests search far more than GitHub's 30 per minute (github-errors.test.ts covers that budget).
  gh = await githubSandbox({ options: { github: { rateLimits: { search: 10_000, codeSearch: 10_000 } } } });
});
afterAll(async () => {
  await gh.sandbox.close();
});

type Json = Record<string, any>;
type Item = {
  number: number;
  state: string;
  title: string;
  repository_url: string;
  pull_request?: unknown;
  labels: { name: string }[];
  user: { login: string };
  body: string | null;
};

async function search(q: string, token?: string): Promise<{ total: number; items: Item[] }> {
  const all: Item[] = [];
  let total = 0;
  for (let page = 1; ; page++) {
    const response = await gh.get(`/search/issues?q=${encodeURIComponent(q)}&per_page=100&page=${page}`, {
      ...(token ? { token } : {}),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { total_count: number; items: Item[] };
    total = body.total_count;
    all.push(...body.items);
    if (body.items.length < 100) break;
  }
  return { total, items: all };
}

const repoOf = (item: Item) => item.repository_url.replace(`${gh.api}/repos/`, "");

describe("GitHub issue search", () => {
  it("repo: scopes, is:issue / is:pr split the results, is:open / is:closed filter state", async () => {
    const all = await search("repo:acme/api");
    const issues = await search("repo:acme/api is:issue");
    const pulls = await search("repo:acme/api is:pr");
    expect(all.total).toBe(issues.total + pulls.total);
    expect(pulls.total).toBeGreaterThan(0);
    expect(issues.items.every((item) => item.pull_request === undefined)).toBe(true);
    expect(pulls.items.every((item) => item.pull_request !== undefined)).toBe(true);
    expect(all.items.every((item) => repoOf(item) === "acme/api")).toBe(true);

    const open = await search("repo:acme/api is:issue is:open");
    const closed = await search("repo:acme/api is:issue state:closed");
    expect(open.total + closed.total).toBe(issues.total);
    expect(open.items.every((item) => item.state === "open")).toBe(true);
  });

  it("several repo:/org:/user: qualifiers are ORed", async () => {
    const api = await search("repo:acme/api");
    const web = await search("repo:acme/web");
    const both = await search("repo:acme/api repo:acme/web");
    expect(both.total).toBe(api.total + web.total);
    const acmeAndOcto = await search("org:acme user:octo");
    expect(new Set(acmeAndOcto.items.map(repoOf))).toEqual(
      new Set(["acme/api", "acme/web", "acme/secret-plans", "octo/hello-world"]),
    );
  });

  it("label: qualifiers are ANDed, a comma ORs, and -label: excludes", async () => {
    const bug = await search("repo:acme/api label:bug");
    expect(bug.total).toBeGreaterThan(0);
    expect(bug.items.every((item) => item.labels.some((label) => label.name === "bug"))).toBe(true);
    const bugAndDocs = await search('repo:acme/api label:bug label:"priority: high"');
    expect(
      bugAndDocs.items.every((item) => {
        const names = item.labels.map((label) => label.name);
        return names.includes("bug") && names.includes("priority: high");
      }),
    ).toBe(true);
    expect(bugAndDocs.items.map((item) => item.number)).toContain(1);
    const either = await search("repo:acme/api label:bug,question");
    expect(either.total).toBeGreaterThanOrEqual(bug.total);
    const notBug = await search("repo:acme/api -label:bug");
    expect(notBug.total + bug.total).toBe((await search("repo:acme/api")).total);
  });

  it("free text matches title and body, case-insensitively; author: narrows", async () => {
    const hits = await search("repo:acme/api EXPIRED token");
    expect(hits.items[0]?.number).toBe(1);
    const flaky = await search("repo:acme/api flaky");
    expect(flaky.total).toBeGreaterThan(0);
    expect(flaky.items.every((item) => /flaky/i.test(`${item.title} ${item.body ?? ""}`))).toBe(true);
    const byAlice = await search("repo:acme/api author:alice");
    expect(byAlice.items.every((item) => item.user.login === "alice")).toBe(true);
    expect((await search("repo:acme/api qwertyuiop-nothing")).total).toBe(0);
  });

  it("only searches repositories the token can see", async () => {
    const member = await search("repo:acme/secret-plans");
    expect(member.total).toBeGreaterThan(0);
    const outsider = await search("repo:acme/secret-plans", OUTSIDER_TOKEN);
    expect(outsider.total).toBe(0);
    const outsiderOrg = await search("org:acme", OUTSIDER_TOKEN);
    expect(outsiderOrg.items.some((item) => repoOf(item) === "acme/secret-plans")).toBe(false);
  });

  it("sort=created&order=asc orders by creation", async () => {
    const response = await gh.get(
      `/search/issues?q=${encodeURIComponent("repo:acme/web")}&sort=created&order=asc`,
    );
    const body = (await response.json()) as { items: { created_at: string }[] };
    const dates = body.items.map((item) => item.created_at);
    expect([...dates].sort()).toEqual(dates);
  });

  it("a missing q is a 422", async () => {
    const response = await gh.get("/search/issues");
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({
      message: "Validation Failed",
      errors: [{ resource: "Search", field: "q", code: "missing" }],
    });
  });
});

describe("GitHub code search", () => {
  it("finds text in files of the scoped repositories, with path/extension/language qualifiers", async () => {
    const response = await gh.get(`/search/code?q=${encodeURIComponent("parseConfig repo:acme/api")}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("x-ratelimit-resource")).toBe("code_search");
    const body = (await response.json()) as Json;
    const paths = body.items.map((item: Json) => item.path).sort();
    expect(paths).toEqual(["README.md", "docs/guide.md", "src/index.ts", "src/lib/parse-config.ts"]);
    expect(body.items[0]).toMatchObject({ repository: { full_name: "acme/api" }, sha: expect.any(String) });

    const tsOnly = (await (
      await gh.get(`/search/code?q=${encodeURIComponent("parseConfig repo:acme/api language:typescript")}`)
    ).json()) as Json;
    expect(tsOnly.items.map((item: Json) => item.path).sort()).toEqual([
      "src/index.ts",
      "src/lib/parse-config.ts",
    ]);
    const inDocs = (await (
      await gh.get(`/search/code?q=${encodeURIComponent("parseConfig path:docs org:acme")}`)
    ).json()) as Json;
    expect(inDocs.items.map((item: Json) => item.path)).toEqual(["docs/guide.md"]);
    const md = (await (
      await gh.get(`/search/code?q=${encodeURIComponent("parseConfig extension:md")}`)
    ).json()) as Json;
    expect(md.total_count).toBe(2);
  });

  it("does not find private code for an outsider, and needs a search term", async () => {
    const member = (await (await gh.get(`/search/code?q=falcon`)).json()) as Json;
    expect(member.items.map((item: Json) => item.repository.full_name)).toEqual(["acme/secret-plans"]);
    const outsider = (await (
      await gh.get(`/search/code?q=falcon`, { token: OUTSIDER_TOKEN })
    ).json()) as Json;
    expect(outsider.total_count).toBe(0);
    expect((await gh.get(`/search/code?q=${encodeURIComponent("repo:acme/api")}`)).status).toBe(422);
  });
});
