import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { API, connector, failure, fixture, githubHeaders, linkHeader } from "./helpers.js";
import { seen, server } from "./msw-server.js";

/** Issues 1..total served in GitHub's page/per_page style with Link headers. */
function pagedIssues(total: number) {
  return http.get(`${API}/repos/acme/api/issues`, ({ request }) => {
    const url = new URL(request.url);
    const page = Number(url.searchParams.get("page") ?? "1");
    const perPage = Number(url.searchParams.get("per_page") ?? "30");
    const items = [];
    for (let number = (page - 1) * perPage + 1; number <= Math.min(total, page * perPage); number += 1) {
      items.push({ ...fixture("issue"), number, title: `Issue ${number}` });
    }
    const pageUrl = (to: number) => {
      const next = new URL(url);
      next.searchParams.set("page", String(to));
      return next.toString();
    };
    const last = Math.ceil(total / perPage);
    const links: Record<string, string> = {};
    if (page < last) Object.assign(links, { next: pageUrl(page + 1), last: pageUrl(last) });
    if (page > 1) Object.assign(links, { prev: pageUrl(page - 1), first: pageUrl(1) });
    return HttpResponse.json(items, {
      headers: githubHeaders(Object.keys(links).length ? { link: linkHeader(links) } : {}),
    });
  });
}

describe("list pagination", () => {
  it("walks three pages with cursors, returning every item once and null at the end", async () => {
    server.use(pagedIssues(25));
    const github = connector();
    const numbers: number[] = [];
    let cursor: string | undefined;
    let calls = 0;
    do {
      const { output, metadata } = await github.call("github_list_issues", {
        owner: "acme",
        repo: "api",
        limit: 10,
        ...(cursor ? { cursor } : {}),
      });
      calls += 1;
      expect(metadata.pages).toBe(1);
      numbers.push(...(output.items as Array<{ number: number }>).map((item) => item.number));
      cursor = (output.nextCursor as string | null) ?? undefined;
    } while (cursor);
    expect(calls).toBe(3);
    expect(numbers).toEqual(Array.from({ length: 25 }, (_, index) => index + 1));
    // Later pages follow GitHub's next links: page 2 and 3 with the pinned per_page.
    expect(seen.map((request) => new URL(request.url).search)).toEqual([
      "?state=open&sort=created&direction=desc&per_page=10",
      "?state=open&sort=created&direction=desc&per_page=10&page=2",
      "?state=open&sort=created&direction=desc&per_page=10&page=3",
    ]);
  });

  it("resumes mid-page when the limit is not a multiple of the page size", async () => {
    server.use(pagedIssues(12));
    const github = connector();
    const first = await github.call("github_list_issues", { owner: "acme", repo: "api", limit: 7 });
    const second = await github.call("github_list_issues", {
      owner: "acme",
      repo: "api",
      limit: 7,
      cursor: first.output.nextCursor,
    });
    const numbers = [...(first.output.items as any[]), ...(second.output.items as any[])].map(
      (item) => item.number,
    );
    expect(numbers).toEqual(Array.from({ length: 12 }, (_, index) => index + 1));
    expect(second.output.nextCursor).toBeNull();
  });

  it("refuses a cursor from another query", async () => {
    server.use(pagedIssues(25));
    const github = connector();
    const first = await github.call("github_list_issues", { owner: "acme", repo: "api", limit: 10 });
    const error = await failure(
      github.call("github_list_issues", {
        owner: "acme",
        repo: "api",
        state: "closed",
        cursor: first.output.nextCursor,
      }),
    );
    expect(error.code).toBe("invalid_input");
  });

  it("refuses to follow a next link that leaves the API host", async () => {
    server.use(
      http.get(`${API}/repos/acme/api/issues`, () =>
        HttpResponse.json([fixture("issue")], {
          headers: githubHeaders({ link: linkHeader({ next: "https://evil.example.com/steal?page=2" }) }),
        }),
      ),
    );
    const github = connector();
    const first = await github.call("github_list_issues", { owner: "acme", repo: "api", limit: 1 });
    const error = await failure(
      github.call("github_list_issues", {
        owner: "acme",
        repo: "api",
        limit: 1,
        cursor: first.output.nextCursor,
      }),
    );
    expect(error.code).toBe("invalid_response");
    expect(seen.every((request) => new URL(request.url).host === "api.github.com")).toBe(true);
  });
});

describe("search 1,000-result ceiling", () => {
  function pagedSearch(totalCount: number) {
    return http.get(`${API}/search/issues`, ({ request }) => {
      const url = new URL(request.url);
      const page = Number(url.searchParams.get("page") ?? "1");
      const perPage = Number(url.searchParams.get("per_page") ?? "30");
      if ((page - 1) * perPage >= 1000) {
        return HttpResponse.json(
          {
            message: "Only the first 1000 search results are available",
            documentation_url: "https://docs.github.com/v3/search/",
          },
          { status: 422, headers: githubHeaders({}, "search") },
        );
      }
      const items = Array.from({ length: perPage }, (_, index) => ({
        ...fixture("issue"),
        number: (page - 1) * perPage + index + 1,
      }));
      const next = new URL(url);
      next.searchParams.set("page", String(page + 1));
      return HttpResponse.json(
        { total_count: totalCount, incomplete_results: false, items },
        { headers: githubHeaders({ link: linkHeader({ next: next.toString() }) }, "search") },
      );
    });
  }

  it("stops at result 1,000 with ceilingReached, a note and no cursor", async () => {
    server.use(pagedSearch(4321));
    const github = connector({ outputBudget: { maxBytes: 10_000_000, maxTokens: 10_000_000 } });
    let cursor: string | undefined;
    let last: Record<string, unknown> = {};
    let count = 0;
    let calls = 0;
    while (calls < 15) {
      calls += 1;
      const { output } = await github.call("github_search_issues", {
        query: "is:issue",
        limit: 100,
        ...(cursor ? { cursor } : {}),
      });
      count += (output.items as unknown[]).length;
      last = output;
      cursor = (output.nextCursor as string | null) ?? undefined;
      if (!cursor) break;
      expect(output.ceilingReached).toBe(false);
    }
    // One page of 100 per call: the tenth call reaches result 1,000 and stops there.
    expect(calls).toBe(10);
    expect(count).toBe(1000);
    expect(last).toMatchObject({ totalCount: 4321, ceilingReached: true, nextCursor: null });
    expect(last.note).toMatch(/1,000/);
    expect(seen.some((request) => new URL(request.url).searchParams.get("page") === "11")).toBe(false);
  });
});
