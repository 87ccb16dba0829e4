import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { createJiraConnector } from "../src/jira-connector.js";
import { type JiraSettings, jiraSettingsFromEnv } from "../src/jira-settings.js";
import { failure, fixture, jiraHeaders, SITE } from "./helpers.js";
import { seen, server } from "./msw-server.js";

const TOKEN_URL = "https://auth.atlassian.com/oauth/token";
const GATEWAY = "https://api.atlassian.com";
const CLOUD_ID = "1324a887-45db-1bf4-1e99-ef0ff456d421";
const CLIENT_ID = "Zq3TestClientId0000000000000000";
const CLIENT_SECRET = `ATOA${"S3cr3tCl13nt".repeat(3)}0000`;

interface FakeAuthOptions {
  readonly tokenUrl?: string;
  readonly gateway?: string;
  readonly expiresIn?: number;
  /** Refresh tokens rotated out before the test starts, with how long ago (ms). */
  readonly retired?: Record<string, number>;
  readonly latest?: string;
  readonly reuseWindowMs?: number;
  readonly resources?: unknown;
}

/**
 * Atlassian's auth side as documented: every refresh rotates the refresh token; a rotated-out token may be
 * replayed within the reuse window, and replaying it later revokes the whole grant (`invalid_grant`).
 */
function fakeAtlassian(options: FakeAuthOptions = {}) {
  const tokenUrl = options.tokenUrl ?? TOKEN_URL;
  const gateway = options.gateway ?? GATEWAY;
  const reuseWindowMs = options.reuseWindowMs ?? 600_000;
  const state = {
    latest: options.latest ?? "rt-0",
    retired: new Map(Object.entries(options.retired ?? {}).map(([token, ago]) => [token, Date.now() - ago])),
    revoked: false,
    refreshes: 0,
    resourceLookups: 0,
    access: new Set<string>(),
    used: [] as string[],
    events: [] as string[],
  };
  const invalidGrant = () =>
    HttpResponse.json(
      { error: "invalid_grant", error_description: "Unknown or invalid refresh token." },
      { status: 403 },
    );
  const handlers = [
    http.post(tokenUrl, async ({ request }) => {
      const body = (await request.json()) as Record<string, string>;
      expect(body.grant_type).toBe("refresh_token");
      if (body.client_id !== CLIENT_ID || body.client_secret !== CLIENT_SECRET) {
        return HttpResponse.json(
          { error: "invalid_client", error_description: "bad client" },
          { status: 401 },
        );
      }
      const token = body.refresh_token as string;
      state.used.push(token);
      if (state.revoked) return invalidGrant();
      if (token !== state.latest) {
        const rotatedAt = state.retired.get(token);
        if (rotatedAt === undefined || Date.now() - rotatedAt > reuseWindowMs) {
          state.revoked = true;
          return invalidGrant();
        }
      }
      state.refreshes += 1;
      state.retired.set(state.latest, Date.now());
      state.latest = `rt-${state.refreshes}-${"r".repeat(8)}`;
      const accessToken = `at-${state.refreshes}-${"a".repeat(24)}`;
      state.access.add(accessToken);
      state.events.push(`issued ${accessToken}`);
      return HttpResponse.json({
        access_token: accessToken,
        expires_in: options.expiresIn ?? 3600,
        token_type: "Bearer",
        refresh_token: state.latest,
        scope: "read:jira-work write:jira-work read:jira-user offline_access",
      });
    }),
    http.get(`${gateway}/oauth/token/accessible-resources`, ({ request }) => {
      state.resourceLookups += 1;
      const token = request.headers.get("authorization")?.replace(/^Bearer /, "") ?? "";
      if (!state.access.has(token)) return new HttpResponse(null, { status: 401 });
      return HttpResponse.json(options.resources ?? fixture("accessible-resources"));
    }),
    http.get(`${gateway}/ex/jira/:cloudId/rest/api/3/project/OPS`, ({ request, params }) => {
      const token = request.headers.get("authorization")?.replace(/^Bearer /, "") ?? "";
      state.events.push(`api ${token}`);
      if (params.cloudId !== CLOUD_ID || !state.access.has(token)) {
        return HttpResponse.json(
          { code: 401, message: "Unauthorized" },
          { status: 401, headers: jiraHeaders() },
        );
      }
      return HttpResponse.json(fixture("project"), { headers: jiraHeaders() });
    }),
    http.get(`${gateway}/ex/jira/:cloudId/rest/api/3/project/OPS/statuses`, () =>
      HttpResponse.json(fixture("project-statuses"), { headers: jiraHeaders() }),
    ),
  ];
  return { state, handlers };
}

function oauthConnector(
  settings: JiraSettings = {},
  oauth: Partial<NonNullable<JiraSettings["oauth"]>> = {},
) {
  return createJiraConnector({
    baseUrl: SITE,
    oauth: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, refreshToken: "rt-0", ...oauth },
    retry: { baseDelayMs: 5, minDelayMs: 1, maxDelayMs: 20, maxRetryAfterMs: 2_000 },
    ...settings,
  });
}

describe("OAuth 2.0 (3LO)", () => {
  it("refreshes, resolves the cloud id for the configured site and calls the gateway with a Bearer token", async () => {
    const fake = fakeAtlassian();
    server.use(...fake.handlers);
    const persisted: string[] = [];
    const jira = oauthConnector({}, { onRefreshToken: (token) => void persisted.push(token) });
    const { output } = await jira.call("jira_get_project", { projectKey: "OPS" });
    expect(output.url).toBe(`${SITE}/browse/OPS`);
    expect(persisted).toEqual([fake.state.latest]);
    const apiCall = seen.find((request) => request.url.includes("/ex/jira/"));
    expect(new URL(apiCall?.url ?? "").pathname).toBe(`/ex/jira/${CLOUD_ID}/rest/api/3/project/OPS`);
    expect(apiCall?.headers.get("authorization")).toBe(`Bearer at-1-${"a".repeat(24)}`);
    // The site URL picked the first resource, not the sandbox site the grant also covers.
    expect(fake.state.resourceLookups).toBe(1);
  });

  it("50 concurrent calls share one refresh and one cloud-id lookup", async () => {
    const fake = fakeAtlassian();
    server.use(...fake.handlers);
    const persisted: string[] = [];
    const jira = oauthConnector({}, { onRefreshToken: (token) => void persisted.push(token) });
    const results = await Promise.all(
      Array.from({ length: 50 }, () => jira.call("jira_get_project", { projectKey: "OPS" })),
    );
    expect(results).toHaveLength(50);
    expect(fake.state.refreshes).toBe(1);
    expect(fake.state.resourceLookups).toBe(1);
    expect(persisted).toHaveLength(1);
    expect(fake.state.used).toEqual(["rt-0"]);
  });

  it("persists each rotated refresh token before the new access token is used, and refreshes with it next time", async () => {
    // Tokens that expire at once: every call refreshes, so every call rotates.
    const fake = fakeAtlassian({ expiresIn: 1 });
    server.use(...fake.handlers);
    const jira = oauthConnector(
      {},
      {
        onRefreshToken: async (token) => {
          await new Promise((resolve) => setTimeout(resolve, 20));
          fake.state.events.push(`persisted ${token.slice(0, 4)}`);
        },
      },
    );
    for (let call = 0; call < 3; call += 1) await jira.call("jira_get_project", { projectKey: "OPS" });
    expect(fake.state.used).toEqual(["rt-0", `rt-1-${"r".repeat(8)}`, `rt-2-${"r".repeat(8)}`]);
    const a = "a".repeat(24);
    expect(fake.state.events).toEqual([
      `issued at-1-${a}`,
      "persisted rt-1",
      `api at-1-${a}`,
      `issued at-2-${a}`,
      "persisted rt-2",
      `api at-2-${a}`,
      `issued at-3-${a}`,
      "persisted rt-3",
      `api at-3-${a}`,
    ]);
  });

  it("a 401 from Jira refreshes once and repeats the call", async () => {
    const fake = fakeAtlassian();
    server.use(...fake.handlers);
    const jira = oauthConnector();
    await jira.call("jira_get_project", { projectKey: "OPS" });
    fake.state.access.clear(); // Atlassian revoked the access token early.
    const { metadata } = await jira.call("jira_get_project", { projectKey: "OPS" });
    expect(metadata.credentialRefreshed).toBe(true);
    expect(fake.state.refreshes).toBe(2);
  });

  it("replaying a refresh token after the reuse window revokes the grant: unauthenticated, with a hint to re-authorize", async () => {
    // Another process rotated rt-0 an hour ago; this one still starts from it.
    const fake = fakeAtlassian({ latest: "rt-current", retired: { "rt-0": 3_600_000 } });
    server.use(...fake.handlers);
    const failed = await failure(oauthConnector().call("jira_get_project", { projectKey: "OPS" }));
    expect(failed.code).toBe("unauthenticated");
    expect(failed.upstream).toMatchObject({ status: 403, code: "invalid_grant" });
    expect(failed.hint).toMatch(/reused after rotation/);
    expect(failed.hint).toMatch(/Re-authorize the Jira OAuth app/);
    expect(failed.hint).toContain("JIRA_OAUTH_REFRESH_TOKEN");
    expect(fake.state.events.some((event) => event.startsWith("api"))).toBe(false);
    // The reuse revoked the whole grant: the current token is dead too.
    const after = await failure(
      oauthConnector({}, { refreshToken: "rt-current" }).call("jira_get_project", { projectKey: "OPS" }),
    );
    expect(after.code).toBe("unauthenticated");
  });

  it("a replay inside the reuse window still works", async () => {
    const fake = fakeAtlassian({ latest: "rt-current", retired: { "rt-0": 60_000 } });
    server.use(...fake.handlers);
    const { output } = await oauthConnector().call("jira_get_project", { projectKey: "OPS" });
    expect(output.key).toBe("OPS");
  });

  it("does not use the access token when persisting the rotated refresh token fails; the next call persists again", async () => {
    const fake = fakeAtlassian();
    server.use(...fake.handlers);
    let fail = true;
    const persisted: string[] = [];
    const jira = oauthConnector(
      {},
      {
        onRefreshToken: (token) => {
          if (fail) {
            fail = false;
            throw new Error("disk full");
          }
          persisted.push(token);
        },
      },
    );
    const failed = await failure(jira.call("jira_get_project", { projectKey: "OPS" }));
    expect(failed.code).toBe("internal");
    expect(failed.message).toContain("persisting the new one");
    expect(fake.state.events.some((event) => event.startsWith("api"))).toBe(false);
    await jira.call("jira_get_project", { projectKey: "OPS" });
    // The second refresh used the token the failed persist could not store: it was kept in memory.
    expect(fake.state.used).toEqual(["rt-0", `rt-1-${"r".repeat(8)}`]);
    expect(persisted).toEqual([fake.state.latest]);
  });

  it("keeps rotated tokens in JIRA_OAUTH_REFRESH_TOKEN_FILE (mode 0600), which the next process starts from", async () => {
    const fake = fakeAtlassian();
    server.use(...fake.handlers);
    const file = path.join(mkdtempSync(path.join(tmpdir(), "jira-oauth-")), "refresh-token");
    const env = {
      JIRA_BASE_URL: SITE,
      JIRA_OAUTH_CLIENT_ID: CLIENT_ID,
      JIRA_OAUTH_CLIENT_SECRET: CLIENT_SECRET,
      JIRA_OAUTH_REFRESH_TOKEN: "rt-0",
      JIRA_OAUTH_REFRESH_TOKEN_FILE: file,
    };
    await createJiraConnector(jiraSettingsFromEnv(env)).call("jira_get_project", { projectKey: "OPS" });
    expect(readFileSync(file, "utf8").trim()).toBe(fake.state.latest);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // A restart with the same environment reads the file, not the stale variable.
    await createJiraConnector(jiraSettingsFromEnv(env)).call("jira_get_project", { projectKey: "OPS" });
    expect(fake.state.used).toEqual(["rt-0", `rt-1-${"r".repeat(8)}`]);
  });

  it("serves the token endpoint and gateway from configured hosts (the sandbox)", async () => {
    const fake = fakeAtlassian({
      tokenUrl: "http://127.0.0.1:4010/oauth/token",
      gateway: "http://127.0.0.1:4011",
    });
    server.use(...fake.handlers);
    const env = {
      JIRA_BASE_URL: SITE,
      JIRA_OAUTH_CLIENT_ID: CLIENT_ID,
      JIRA_OAUTH_CLIENT_SECRET: CLIENT_SECRET,
      JIRA_OAUTH_REFRESH_TOKEN: "rt-0",
      JIRA_OAUTH_TOKEN_URL: "http://127.0.0.1:4010/oauth/token",
      JIRA_API_GATEWAY_URL: "http://127.0.0.1:4011/",
    };
    const { output } = await createJiraConnector(jiraSettingsFromEnv(env)).call("jira_get_project", {
      projectKey: "OPS",
    });
    expect(output.key).toBe("OPS");
    expect(seen.map((request) => new URL(request.url).host)).toEqual([
      "127.0.0.1:4010",
      "127.0.0.1:4011",
      "127.0.0.1:4011",
      "127.0.0.1:4011",
    ]);
  });

  it("needs the site when the grant covers several, and refuses a site the grant does not cover", async () => {
    const fake = fakeAtlassian();
    server.use(...fake.handlers);
    const several = await failure(
      oauthConnector({ baseUrl: undefined }).call("jira_get_project", { projectKey: "OPS" }),
    );
    expect(several.code).toBe("credentials_missing");
    expect(several.message).toContain("https://acme-sandbox.atlassian.net");
    const other = await failure(
      oauthConnector({ baseUrl: "https://other.atlassian.net" }).call("jira_get_project", {
        projectKey: "OPS",
      }),
    );
    expect(other.code).toBe("permission_denied");
    expect(other.message).toContain("does not cover https://other.atlassian.net");
  });

  it("skips the lookup with a configured cloud id", async () => {
    const fake = fakeAtlassian();
    server.use(...fake.handlers);
    await oauthConnector({ cloudId: CLOUD_ID }).call("jira_get_project", { projectKey: "OPS" });
    expect(fake.state.resourceLookups).toBe(0);
  });

  it("names wrong client credentials", async () => {
    const fake = fakeAtlassian();
    server.use(...fake.handlers);
    const failed = await failure(
      oauthConnector({}, { clientSecret: "wrong-secret-value" }).call("jira_get_project", {
        projectKey: "OPS",
      }),
    );
    expect(failed.code).toBe("unauthenticated");
    expect(failed.hint).toContain("JIRA_OAUTH_CLIENT_SECRET");
  });
});
