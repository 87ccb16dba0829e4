import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_ISSUE_COUNT } from "../src/index.js";
import { type GithubTestClient, githubSandbox, parseLink } from "./helpers.js";

let gh: GithubTestClient;

beforeAll(async () => {
  gh = await githubSandbox();
});
afterAll(async () => {
  await gh.sandbox.close();
});

async function followAll(first: string): Promise<{ numbers: number[]; pages: number; links: string[] }> {
  const numbers: number[] = [];
  const links: string[] = [];
  let next: string | undefined = first;
  let pages = 0;
  while (next) {
    const response = await gh.get(next);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { number: number }[];
    numbers.push(...body.map((issue) => issue.number));
    pages += 1;
    const link = response.headers.get("link");
    if (link) links.push(link);
    next = parseLink(link).next;
  }
  return { numbers, pages, links };
}

describe("GitHub pagination", () => {
  it("follows rel=next until it is absent and sees every issue exactly once", async () => {
    const { numbers, pages, links } = await followAll("/repos/acme/api/issues?state=all&per_page=50");
    expect(pages).toBe(Math.ceil(API_ISSUE_COUNT / 50));
    expect(numbers).toHaveLength(API_ISSUE_COUNT);
    expect(new Set(numbers).size).toBe(API_ISSUE_COUNT);
    // Newest first by default.
    expect(numbers[0]).toBe(API_ISSUE_COUNT);
    expect(numbers.at(-1)).toBe(1);
    // Every link is absolute, on the URL the request came in on, in GitHub's /repositories/:id form.
    for (const header of links) {
      for (const url of Object.values(parseLink(header))) {
        expect(url.startsWith(`${gh.api}/repositories/`)).toBe(true);
        expect(new URL(url).searchParams.get("per_page")).toBe("50");
        expect(new URL(url).searchParams.get("state")).toBe("all");
      }
    }
  });

  it("defaults to 30 per page, caps per_page at 100, and gives prev/next/last/first on middle pages", async () => {
    const first = await gh.get("/repos/acme/api/issues?state=all");
    expect(((await first.json()) as unknown[]).length).toBe(30);
    expect(Object.keys(parseLink(first.headers.get("link")))).toEqual(["next", "last"]);

    const capped = await gh.get("/repos/acme/api/issues?state=all&per_page=500");
    expect(((await capped.json()) as unknown[]).length).toBe(100);

    const middle = await gh.get("/repos/acme/api/issues?state=all&per_page=100&page=2");
    const links = parseLink(middle.headers.get("link"));
    expect(Object.keys(links)).toEqual(["prev", "next", "last", "first"]);
    expect(new URL(links.prev as string).searchParams.get("page")).toBe("1");
    expect(new URL(links.next as string).searchParams.get("page")).toBe("3");
    expect(new URL(links.last as string).searchParams.get("page")).toBe("3");
    expect(new URL(links.first as string).searchParams.get("page")).toBe("1");

    const last = await gh.get(links.last as string);
    expect(Object.keys(parseLink(last.headers.get("link")))).toEqual(["prev", "first"]);
    expect(((await last.json()) as unknown[]).length).toBe(API_ISSUE_COUNT - 200);
  });

  it("has no Link header on a single page, and an empty array past the end", async () => {
    const single = await gh.get("/repos/octo/hello-world/issues?state=all");
    expect(single.headers.get("link")).toBeNull();
    const beyond = await gh.get("/repos/acme/api/issues?state=all&page=99");
    expect(await beyond.json()).toEqual([]);
  });

  it("paginates search results with the query kept in the links, and refuses pages past result 1000", async () => {
    const { pages } = await (async () => {
      let next: string | undefined =
        `/search/issues?q=${encodeURIComponent("repo:acme/api is:issue")}&per_page=100`;
      let count = 0;
      let total = 0;
      const seen = new Set<number>();
      while (next) {
        const response = await gh.get(next);
        const body = (await response.json()) as { total_count: number; items: { number: number }[] };
        total = body.total_count;
        for (const item of body.items) seen.add(item.number);
        next = parseLink(response.headers.get("link")).next;
        if (next) expect(new URL(next).searchParams.get("q")).toBe("repo:acme/api is:issue");
        count += 1;
      }
      expect(seen.size).toBe(total);
      return { pages: count };
    })();
    expect(pages).toBeGreaterThanOrEqual(3);

    const beyond = await gh.get(`/search/issues?q=repo:acme/api&per_page=100&page=11`);
    expect(beyond.status).toBe(422);
    expect(await beyond.json()).toMatchObject({
      message: "Only the first 1000 search results are available",
    });
  });

  it("paginates commits and org repositories the same way", async () => {
    const commits: string[] = [];
    let next: string | undefined = "/repos/acme/api/commits?per_page=20";
    while (next) {
      const response = await gh.get(next);
      commits.push(...((await response.json()) as { sha: string }[]).map((commit) => commit.sha));
      next = parseLink(response.headers.get("link")).next;
    }
    expect(commits).toHaveLength(45);
    expect(new Set(commits).size).toBe(45);

    const repos = await gh.get("/orgs/acme/repos?per_page=2&sort=full_name");
    const links = parseLink(repos.headers.get("link"));
    expect(links.next).toMatch(/\/organizations\/\d+\/repos\?/);
    const second = await gh.get(links.next as string);
    expect(((await second.json()) as { full_name: string }[]).map((repo) => repo.full_name)).toEqual([
      "acme/web",
    ]);
  });
});
