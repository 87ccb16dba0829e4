import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { guardNetwork, type JiraTestSandbox, startJira } from "./jira-helpers.js";

/** The shared fault machinery with the Jira flavor, the control endpoints, and the plain-HTTP edges. */

const NOW = Date.parse("2026-03-02T10:20:00Z");
let t: JiraTestSandbox;
const guard = guardNetwork();

beforeAll(async () => {
  t = await startJira({ now: () => NOW });
});
afterEach(() => t.sandbox.reset());
afterAll(async () => {
  await t.sandbox.close();
  guard.restore();
  expect(guard.attempts).toEqual([]);
});

const issue = () => t.request("GET", "/rest/api/3/issue/OPS-1?fields=summary");
const headersOf = (response: Response) => Object.fromEntries(response.headers);

describe("Jira fault flavor", () => {
  it("maps the rate-limit fault kinds onto Jira's three 429s", async () => {
    t.sandbox.faults.set("jira", [
      { kind: "rate_limit_429", retryAfterSeconds: 2, count: 1 },
      { kind: "secondary_rate_limit", retryAfterSeconds: 4, count: 1 },
      { kind: "primary_rate_limit", resetAfterSeconds: 2400, count: 1 },
    ]);
    const burst = await issue();
    expect(burst.status).toBe(429);
    expect(headersOf(burst)).toMatchObject({
      "retry-after": "2",
      "ratelimit-reason": "jira-burst-based",
      "x-ratelimit-remaining": "0",
      "x-ratelimit-reset": "2026-03-02T10:20:02Z",
    });
    expect(await burst.json()).toEqual({ errorMessages: ["Rate limit exceeded."], errors: {} });
    const perIssue = await issue();
    expect(perIssue.status).toBe(429); // Jira never uses 403 for rate limits
    expect(headersOf(perIssue)).toMatchObject({
      "retry-after": "4",
      "ratelimit-reason": "jira-per-issue-on-write",
    });
    const quota = await issue();
    expect(headersOf(quota)).toMatchObject({
      "retry-after": "2400",
      "ratelimit-reason": "jira-quota-global-based",
      "x-ratelimit-reset": "2026-03-02T11:00:00Z",
    });
    expect((await issue()).status).toBe(200);
  });

  it("answers server errors, expired credentials and broken bodies in Jira's words", async () => {
    t.sandbox.faults.set("jira", [
      { kind: "server_error", status: 503, retryAfterSeconds: 30, count: 1 },
      { kind: "expired_credential", count: 1 },
      { kind: "html_error", count: 1 },
      { kind: "malformed_json", count: 1 },
    ]);
    const unavailable = await issue();
    expect([unavailable.status, unavailable.headers.get("retry-after")]).toEqual([503, "30"]);
    expect(await unavailable.json()).toEqual({
      errorMessages: ["The service is temporarily unavailable. Please try again later."],
      errors: {},
    });
    expect(unavailable.headers.get("x-arequestid")).toBeTruthy();
    const expired = await issue();
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual({
      errorMessages: ["Client must be authenticated to access this resource."],
      errors: {},
    });
    const html = await issue();
    expect([html.status, html.headers.get("content-type")]).toEqual([502, "text/html; charset=utf-8"]);
    await expect((await issue()).json()).rejects.toThrow();
  });

  it("scopes faults to a route and method below the mount, the OAuth hosts included", async () => {
    t.sandbox.faults.set("jira", {
      kind: "server_error",
      status: 500,
      route: "/rest/api/3/issue/:key",
      method: "PUT",
    });
    expect((await issue()).status).toBe(200);
    const put = await t.request("PUT", "/rest/api/3/issue/OPS-1", { fields: { summary: "x" } });
    expect(put.status).toBe(500);
    t.sandbox.faults.set("jira", { kind: "connection_reset", route: "/oauth/token", count: 1 });
    await expect(
      fetch(`${t.env.JIRA_AUTH_BASE_URL}/oauth/token`, { method: "POST", body: "{}" }),
    ).rejects.toThrow();
    expect((await issue()).status).toBe(200);
  });

  it("holds a request on timeout, and cuts the real answer on truncated_body", async () => {
    t.sandbox.faults.set("jira", [
      { kind: "timeout", count: 1 },
      { kind: "truncated_body", count: 1 },
    ]);
    await expect(
      fetch(`${t.site}/rest/api/3/myself`, {
        headers: { authorization: t.basic() },
        signal: AbortSignal.timeout(100),
      }),
    ).rejects.toThrow();
    const truncated = await issue();
    await expect(truncated.json()).rejects.toThrow();
  });
});

describe("control endpoints and plain HTTP edges", () => {
  it("sets faults, reports state and resets Jira over HTTP", async () => {
    const set = await fetch(`${t.sandbox.url}/__sandbox/faults`, {
      method: "POST",
      body: JSON.stringify({
        upstream: "jira",
        fault: { kind: "rate_limit_429", retryAfterSeconds: 1, count: 1 },
      }),
    });
    expect(set.status).toBe(201);
    expect((await issue()).status).toBe(429);
    await t.request("POST", "/rest/api/3/issue", {
      fields: { project: { key: "WEB" }, issuetype: { name: "Task" }, summary: "Counted" },
    });
    const snapshot = (await (await fetch(`${t.sandbox.url}/__sandbox/state`)).json()) as {
      upstreams: {
        jira: { url: string; state: { projects: { key: string; nextKey: string }[]; issues: number } };
      };
    };
    expect(snapshot.upstreams.jira.url).toBe(t.site);
    expect(snapshot.upstreams.jira.state.projects.find((project) => project.key === "WEB")?.nextKey).toBe(
      "WEB-62",
    );
    await fetch(`${t.sandbox.url}/__sandbox/reset?upstream=jira`, { method: "POST" });
    expect(t.sandbox.state.jira.issue("WEB-61")).toBeUndefined();
  });

  it("401 without credentials, JSON 404s everywhere under the mounts, 400 for bodies that are not JSON", async () => {
    const anonymous = await t.request("GET", "/rest/api/3/myself", undefined, null);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({
      errorMessages: ["You are not authenticated. Authentication required to perform this operation."],
      errors: {},
    });
    const unknown = await t.request("GET", "/rest/api/3/dashboard");
    expect([
      unknown.status,
      ((await unknown.json()) as { errorMessages: string[] }).errorMessages[0],
    ]).toEqual([404, `null for uri: ${t.site}/rest/api/3/dashboard`]);
    expect(await (await fetch(`${t.env.JIRA_API_GATEWAY_URL}/nothing`)).json()).toEqual({
      code: 404,
      message: "Not Found",
    });
    expect((await fetch(`${t.env.JIRA_AUTH_BASE_URL}/authorize`)).status).toBe(404);
    const garbage = await t.request("POST", "/rest/api/3/issue", "{not json");
    expect(garbage.status).toBe(400);
    expect(((await garbage.json()) as { errorMessages: string[] }).errorMessages[0]).toMatch(
      /not valid JSON/,
    );
  });
});
