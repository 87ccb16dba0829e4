import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { connector, failure, jiraHeaders, SITE, wireIssue } from "./helpers.js";
import { server } from "./msw-server.js";

/**
 * A fake /search/jql over `total` issues: opaque page tokens, no `total` in the answer, no token on the last
 * page, and the server's own page size may be lower than asked for.
 */
function searchServer(total: number, serverMax = 100) {
  const requests: { jql: string; maxResults: number; nextPageToken?: string }[] = [];
  const keys = Array.from({ length: total }, (_, index) => `OPS-${index + 1}`);
  const handler = http.post(`${SITE}/rest/api/3/search/jql`, async ({ request }) => {
    const body = (await request.json()) as { jql: string; maxResults: number; nextPageToken?: string };
    requests.push(body);
    const start = body.nextPageToken ? Number(Buffer.from(body.nextPageToken, "base64url").toString()) : 0;
    const size = Math.min(body.maxResults, serverMax);
    const page = keys.slice(start, start + size);
    const end = start + page.length;
    const token = end < keys.length ? Buffer.from(String(end)).toString("base64url") : undefined;
    return HttpResponse.json(
      {
        issues: page.map((key) => wireIssue(key)),
        ...(token ? { nextPageToken: token } : {}),
        isLast: token === undefined,
      },
      { headers: jiraHeaders() },
    );
  });
  return { handler, requests, keys };
}

describe("nextPageToken pagination through core cursors", () => {
  it("walks 7 pages with nextCursor and returns every issue exactly once", async () => {
    const fake = searchServer(62);
    server.use(fake.handler);
    const jira = connector();
    const seenKeys: string[] = [];
    let cursor: string | undefined;
    let calls = 0;
    do {
      const { output, metadata } = await jira.call("jira_search_issues", {
        jql: "project = OPS ORDER BY key",
        limit: 10,
        ...(cursor ? { cursor } : {}),
      });
      calls += 1;
      expect(metadata.pages).toBe(1);
      seenKeys.push(...(output.items as { key: string }[]).map((item) => item.key));
      cursor = (output.nextCursor as string | null) ?? undefined;
    } while (cursor);
    expect(calls).toBe(7);
    expect(seenKeys).toEqual(fake.keys);
    expect(new Set(seenKeys).size).toBe(62);
    // The first page has no token; each later one carries Jira's token, never a page number.
    expect(fake.requests[0]?.nextPageToken).toBeUndefined();
    expect(fake.requests.slice(1).every((request) => typeof request.nextPageToken === "string")).toBe(true);
  });

  it("reads several upstream pages in one call when the server's page is smaller than the limit", async () => {
    const fake = searchServer(45, 10);
    server.use(fake.handler);
    const jira = connector();
    const first = await jira.call("jira_search_issues", { jql: "project = OPS", limit: 25 });
    expect(first.metadata.pages).toBe(3);
    const second = await jira.call("jira_search_issues", {
      jql: "project = OPS",
      limit: 25,
      cursor: first.output.nextCursor as string,
    });
    const keys = [
      ...(first.output.items as { key: string }[]),
      ...(second.output.items as { key: string }[]),
    ].map((item) => item.key);
    expect(keys).toEqual(fake.keys);
    expect(second.output.nextCursor).toBeNull();
  });

  it("resumes exactly after an output-budget cut: no issue lost or repeated", async () => {
    const fake = searchServer(30);
    server.use(fake.handler);
    const jira = connector({ outputBudget: { maxBytes: 4000 } });
    const seenKeys: string[] = [];
    let cursor: string | undefined;
    let truncated = 0;
    do {
      const { output } = await jira.call("jira_search_issues", {
        jql: "project = OPS",
        limit: 30,
        ...(cursor ? { cursor } : {}),
      });
      if (output.truncated) truncated += 1;
      seenKeys.push(...(output.items as { key: string }[]).map((item) => item.key));
      cursor = (output.nextCursor as string | null) ?? undefined;
    } while (cursor);
    expect(truncated).toBeGreaterThan(0);
    expect(seenKeys).toEqual(fake.keys);
  });

  it("refuses a cursor replayed with a different JQL", async () => {
    const fake = searchServer(20);
    server.use(fake.handler);
    const jira = connector();
    const { output } = await jira.call("jira_search_issues", { jql: "project = OPS", limit: 5 });
    const failed = await failure(
      jira.call("jira_search_issues", {
        jql: "project = WEB",
        limit: 5,
        cursor: output.nextCursor as string,
      }),
    );
    expect(failed.code).toBe("invalid_input");
    expect(failed.message).toContain("different query");
  });
});
