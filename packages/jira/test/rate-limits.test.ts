import type { CallEvent } from "@switchyard/core";
import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { nextUtcHour, rateObservations, readRateLimit } from "../src/jira-rate-limits.js";
import { connector, failure, fixture, jiraHeaders, SITE, wireIssue } from "./helpers.js";
import { seen, server } from "./msw-server.js";

const writer = (settings: Parameters<typeof connector>[0] = {}) =>
  connector({ allowWrites: true, ...settings });

const tooMany = (reason: string | undefined, extra: Record<string, string> = {}) =>
  HttpResponse.json(fixture("error-429"), {
    status: 429,
    headers: jiraHeaders({ ...(reason ? { "ratelimit-reason": reason } : {}), ...extra }),
  });

const comments = (hits: Record<string, number>, first429: Record<string, string | undefined>) =>
  http.post(`${SITE}/rest/api/3/issue/:key/comment`, ({ params }) => {
    const key = params.key as string;
    hits[key] = (hits[key] ?? 0) + 1;
    if (key in first429 && hits[key] === 1) return tooMany(first429[key], { "retry-after": "1" });
    return HttpResponse.json(fixture("comment"), { status: 201, headers: jiraHeaders() });
  });

describe("reading the headers", () => {
  it("takes X-RateLimit-Reset as ISO 8601, falls back to the Beta- forms, and scopes by reason", () => {
    const now = Date.parse("2026-03-05T10:20:00Z");
    const info = readRateLimit(
      {
        "ratelimit-reason": "jira-quota-tenant-based",
        "beta-retry-after": "1800",
        "x-ratelimit-reset": "2026-03-05T11:00:00Z",
        "x-beta-ratelimit-limit": "65000",
        "x-ratelimit-remaining": "0",
      },
      now,
    );
    expect(info).toEqual({
      reason: "jira-quota-tenant-based",
      scope: "credential",
      retryAfterMs: 1_800_000,
      resetAt: Date.parse("2026-03-05T11:00:00Z"),
      limit: 65000,
      remaining: 0,
    });
    expect(readRateLimit({ "x-ratelimit-reset": "1772706000" }, now).resetAt).not.toBe(1772706000 * 1000);
    expect(readRateLimit({ ratelimit: '"global-app-quota";r=12;t=600' }, now).resetAt).toBe(now + 600_000);
  });

  it("turns each reason into the right observations", () => {
    const now = 1_000_000;
    const info = (reason: string) => readRateLimit({ "ratelimit-reason": reason, "retry-after": "2" }, now);
    expect(rateObservations(429, info("jira-per-issue-on-write"), now)).toEqual([]);
    expect(rateObservations(429, info("jira-burst-based"), now)).toEqual([
      { bucket: undefined, budget: { limit: undefined, remaining: 0, resetAt: now + 2000 } },
    ]);
    expect(rateObservations(429, info("jira-quota-global-based"), now).map((entry) => entry.bucket)).toEqual([
      "read",
      "search",
      "write",
    ]);
    const paced = rateObservations(
      200,
      readRateLimit({ "x-ratelimit-remaining": "40", "x-ratelimit-limit": "1000" }, now),
      now,
    );
    expect(paced[0]?.budget).toEqual({ limit: 1000, remaining: 40, resetAt: nextUtcHour(now) });
  });
});

describe("RateLimit-Reason decides what slows down", () => {
  it("jira-per-issue-on-write pauses only that issue's writes", async () => {
    const hits: Record<string, number> = {};
    server.use(comments(hits, { "OPS-1": "jira-per-issue-on-write" }));
    const events: CallEvent[] = [];
    const jira = writer({ onEvent: (event) => events.push(event) });
    const slow = jira.call("jira_add_comment", { issueKey: "OPS-1", body: "a" });
    // Wait until the first write has been refused and its retry scheduled (the pause is set by then), however
    // long a loaded machine takes.
    await expect
      .poll(() => events.some((event) => event.type === "call.retry"), { timeout: 10_000 })
      .toBe(true);
    const [other, again] = await Promise.all([
      jira.call("jira_add_comment", { issueKey: "OPS-2", body: "b" }),
      jira.call("jira_add_comment", { issueKey: "OPS-1", body: "c" }),
    ]);
    const first = await slow;
    // Another issue's write did not wait for OPS-1's pause.
    expect(other.metadata.rateLimitWaitMs).toBeLessThan(again.metadata.rateLimitWaitMs);
    // The same issue waited for the pause the first 429 set.
    expect(again.metadata.rateLimitWaitMs).toBeGreaterThan(500);
    expect(first.metadata.attempts).toBe(2);
    expect(first.metadata.rateLimitWaitMs).toBeGreaterThanOrEqual(950);
    expect(hits).toEqual({ "OPS-1": 3, "OPS-2": 1 });
  });

  it("jira-burst-based pauses the endpoint's bucket for the credential, not the others", async () => {
    let searches = 0;
    server.use(
      http.post(`${SITE}/rest/api/3/search/jql`, () => {
        searches += 1;
        if (searches === 1) return tooMany("jira-burst-based", { "retry-after": "1" });
        return HttpResponse.json({ issues: [wireIssue("OPS-1")], isLast: true }, { headers: jiraHeaders() });
      }),
      http.get(`${SITE}/rest/api/3/project/OPS`, () =>
        HttpResponse.json(fixture("project"), { headers: jiraHeaders() }),
      ),
      http.get(`${SITE}/rest/api/3/project/OPS/statuses`, () =>
        HttpResponse.json(fixture("project-statuses"), { headers: jiraHeaders() }),
      ),
    );
    const events: CallEvent[] = [];
    const jira = connector({ onEvent: (event) => events.push(event) });
    const first = jira.call("jira_search_issues", { jql: "project = OPS" });
    // Wait until the first search has been refused and its retry scheduled (the pause is set by then).
    await expect
      .poll(() => events.some((event) => event.type === "call.retry"), { timeout: 10_000 })
      .toBe(true);
    const [read, search] = await Promise.all([
      jira.call("jira_get_project", { projectKey: "OPS" }),
      jira.call("jira_search_issues", { jql: "project = OPS AND status = Done" }),
    ]);
    // The read did not wait for the search bucket's pause: it waited less than the search that did.
    expect(read.metadata.rateLimitWaitMs).toBeLessThan(search.metadata.rateLimitWaitMs);
    expect(search.metadata.rateLimitWaitMs).toBeGreaterThan(500);
    expect((await first).metadata.attempts).toBe(2);
  });

  it("jira-quota-global-based stops every bucket of the credential until X-RateLimit-Reset", async () => {
    const reset = new Date(Date.now() + 30 * 60_000).toISOString();
    server.use(
      http.post(`${SITE}/rest/api/3/search/jql`, () =>
        tooMany("jira-quota-global-based", {
          "retry-after": "1800",
          "x-ratelimit-reset": reset,
          "x-ratelimit-limit": "65000",
          "x-ratelimit-remaining": "0",
        }),
      ),
    );
    const jira = connector({ allowWrites: true });
    const failed = await failure(jira.call("jira_search_issues", { jql: "project = OPS" }));
    expect(failed.code).toBe("rate_limited");
    expect(failed.upstream?.code).toBe("jira-quota-global-based");
    expect(failed.retryAfterMs).toBeGreaterThan(1_790_000);
    expect(failed.details).toMatchObject({ scope: "credential", resetAt: reset });
    expect(seen).toHaveLength(1);
    // Reads and writes of the same credential are refused without a request until the reset.
    const read = await failure(jira.call("jira_get_issue", { issueKey: "OPS-1" }));
    const write = await failure(jira.call("jira_add_comment", { issueKey: "OPS-1", body: "x" }));
    for (const refused of [read, write]) {
      expect(refused.code).toBe("rate_limited");
      expect(refused.retryAfterMs).toBeGreaterThan(1_700_000);
    }
    expect(seen).toHaveLength(1);
  });

  it("a 429 without a known reason slows the endpoint, and X-RateLimit-Remaining shows in the metadata", async () => {
    let hits = 0;
    server.use(
      http.get(`${SITE}/rest/api/3/issue/OPS-42/transitions`, () =>
        HttpResponse.json(fixture("transitions"), { headers: jiraHeaders() }),
      ),
      http.get(`${SITE}/rest/api/3/issue/OPS-42/comment`, () =>
        HttpResponse.json(fixture("comments"), { headers: jiraHeaders() }),
      ),
      http.get(`${SITE}/rest/api/3/issue/OPS-42`, () => {
        hits += 1;
        if (hits === 1) return tooMany(undefined, { "retry-after": "0" });
        return HttpResponse.json(fixture("issue"), {
          headers: jiraHeaders({ "x-ratelimit-limit": "65000", "x-ratelimit-remaining": "64000" }),
        });
      }),
    );
    const { metadata } = await connector().call("jira_get_issue", { issueKey: "OPS-42" });
    expect(metadata.attempts).toBe(2);
    expect(metadata.rateLimit).toMatchObject({ bucket: "read", limit: 65000, remaining: 64000 });
  });
});
