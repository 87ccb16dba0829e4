import { Version3Client } from "jira.js";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createJiraSandboxHandlers } from "../src/jira/jira-handlers.js";
import { JIRA_SANDBOX_API_TOKEN, SANDBOX_CLOUD_ID } from "../src/jira/jira-state.js";
import { guardNetwork, jiraFailure } from "./jira-helpers.js";

/**
 * The same handlers in-process under setupServer, on the real hosts: jira.js in OAuth 2.0 mode (which
 * hard-codes auth.atlassian.com and api.atlassian.com) and in Basic mode on https://sandbox.atlassian.net.
 */

const START = Date.parse("2026-03-02T10:00:00Z");
let clock = START;
const jira = createJiraSandboxHandlers({ now: () => clock });
const server = setupServer(...jira.handlers);
const unhandled: string[] = [];
server.events.on("request:unhandled", ({ request }) => {
  unhandled.push(`${request.method} ${request.url}`);
});
const guard = guardNetwork();

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  clock = START;
  jira.reset();
  expect(unhandled).toEqual([]);
});
afterAll(() => {
  server.close();
  guard.restore();
  expect(guard.attempts).toEqual([]);
});

const oauthClient = (refreshToken: string, rotations: string[]) =>
  new Version3Client({
    authentication: {
      oauth2: {
        refreshToken,
        clientId: jira.state.oauth.clientId,
        clientSecret: jira.state.oauth.clientSecret,
        onTokenRefresh: (event) => {
          rotations.push(event.refreshToken ?? "");
        },
      },
    },
  });

describe("createJiraSandboxHandlers under setupServer", () => {
  it("drives jira.js OAuth 2.0: refresh, cloud id lookup, gateway calls, a refresh on 401 after expiry", async () => {
    const rotations: string[] = [];
    const client = oauthClient(jira.state.oauth.initialRefreshToken, rotations);
    const me = await client.myself.getCurrentUser();
    expect(me.displayName).toBe("Sandbox User");
    expect(me.self).toMatch(
      new RegExp(`^https://api\\.atlassian\\.com/ex/jira/${SANDBOX_CLOUD_ID}/rest/api/3/user`),
    );
    const page = await client.issueSearch.searchForIssuesUsingJqlEnhancedSearch({
      jql: "project = SEC AND statusCategory != Done ORDER BY priority DESC",
      fields: ["summary", "priority"],
    });
    expect(page.issues?.length).toBeGreaterThan(0);
    expect(rotations).toHaveLength(1);

    clock += 3601_000; // the access token expired on the server; jira.js refreshes on the 401 and retries
    const issue = await client.issues.getIssue({ issueIdOrKey: "SEC-1", fields: ["summary"] });
    expect(issue.key).toBe("SEC-1");
    expect(rotations).toHaveLength(2);
    expect(new Set(rotations).size).toBe(2);
    expect(jira.state.oauth.grants()[0]?.refreshes).toBe(2);
  });

  it("a second client replaying the first refresh token after the reuse window revokes the grant for both", async () => {
    const rotations: string[] = [];
    const initial = jira.state.oauth.initialRefreshToken;
    const first = oauthClient(initial, rotations);
    await first.myself.getCurrentUser();

    clock += 11 * 60_000;
    const stale = oauthClient(initial, []);
    await expect(stale.myself.getCurrentUser()).rejects.toThrow(/403.*invalid_grant/);
    clock += 3600_000;
    await expect(first.myself.getCurrentUser()).rejects.toThrow(/invalid_grant/);
    expect(jira.state.oauth.grants()[0]?.revoked).toBe("reuse");
  });

  it("answers Basic auth on the site host, unknown paths with Jira's JSON 404, and applies faults", async () => {
    const basic = new Version3Client({
      host: "https://sandbox.atlassian.net",
      authentication: { basic: { email: "sandbox-user@example.com", apiToken: JIRA_SANDBOX_API_TOKEN } },
    });
    expect((await basic.issues.getIssue({ issueIdOrKey: "OPS-1", fields: ["summary"] })).fields.summary).toBe(
      "Rotate the TLS certificate on the edge proxy",
    );
    const missing = await fetch("https://sandbox.atlassian.net/rest/api/3/nope");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      errorMessages: ["null for uri: https://sandbox.atlassian.net/rest/api/3/nope"],
      errors: {},
    });

    jira.faults.set({ kind: "rate_limit_429", retryAfterSeconds: 3, count: 1 });
    const limited = await jiraFailure(basic.myself.getCurrentUser());
    expect(limited.status).toBe(429);
    expect(limited.headers).toMatchObject({ "retry-after": "3", "ratelimit-reason": "jira-burst-based" });
    expect(limited.headers["x-ratelimit-reset"]).toBe("2026-03-02T10:00:03Z");

    jira.faults.set({ kind: "connection_reset", count: 1, route: "/oauth/token" });
    const reset = await fetch("https://auth.atlassian.com/oauth/token", { method: "POST", body: "{}" }).catch(
      (error: unknown) => error,
    );
    expect(reset).toBeInstanceOf(TypeError);
    expect((await basic.myself.getCurrentUser()).displayName).toBe("Sandbox User");
  });
});
