import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_CLOUD_ID } from "../src/jira/jira-state.js";
import { guardNetwork, type JiraTestSandbox, startJira } from "./jira-helpers.js";

/** OAuth 2.0 (3LO) over loopback with plain fetch: rotating refresh tokens, reuse detection, TTLs, the gateway. */

const START = Date.parse("2026-03-02T10:15:00Z");
let clock = START;
let t: JiraTestSandbox;
const guard = guardNetwork();

beforeAll(async () => {
  t = await startJira({ now: () => clock });
});
afterEach(() => {
  clock = START;
  t.sandbox.reset();
});
afterAll(async () => {
  await t.sandbox.close();
  guard.restore();
  expect(guard.attempts).toEqual([]);
});

interface TokenAnswer {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  token_type: string;
  scope: string;
}

async function refresh(refreshToken: string, overrides: Record<string, string> = {}) {
  const response = await fetch(`${t.env.JIRA_AUTH_BASE_URL}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      grant_type: "refresh_token",
      client_id: t.env.JIRA_OAUTH_CLIENT_ID,
      client_secret: t.env.JIRA_OAUTH_CLIENT_SECRET,
      refresh_token: refreshToken,
      ...overrides,
    }),
  });
  return { status: response.status, body: (await response.json()) as TokenAnswer & { error?: string } };
}

const gateway = (path: string, accessToken: string, init: RequestInit = {}) =>
  fetch(`${t.env.JIRA_API_GATEWAY_URL}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json", ...init.headers },
  });

const minutes = (count: number) => count * 60_000;

describe("Jira OAuth 2.0 (3LO) in the sandbox", () => {
  it("lists the env: client credentials, the first refresh token, the auth and gateway stand-ins, the cloud id", () => {
    expect(t.env).toMatchObject({
      JIRA_BASE_URL: t.site,
      JIRA_AUTH_BASE_URL: `${t.site}/auth`,
      JIRA_API_GATEWAY_URL: `${t.site}/gateway`,
      JIRA_CLOUD_ID: SANDBOX_CLOUD_ID,
      JIRA_OAUTH_REFRESH_TOKEN: expect.stringMatching(/^eyJ/),
    });
  });

  it("rotates the refresh token on every refresh and serves the API through /ex/jira/{cloudId}", async () => {
    const first = await refresh(t.env.JIRA_OAUTH_REFRESH_TOKEN as string);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      expires_in: 3600,
      token_type: "Bearer",
      scope: expect.stringContaining("write:jira-work"),
    });
    expect(first.body.refresh_token).not.toBe(t.env.JIRA_OAUTH_REFRESH_TOKEN);

    clock += minutes(1);
    const second = await refresh(first.body.refresh_token);
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(first.body.refresh_token);
    expect(second.body.access_token).not.toBe(first.body.access_token);

    const resources = await gateway("/oauth/token/accessible-resources", second.body.access_token);
    expect(await resources.json()).toEqual([
      expect.objectContaining({
        id: SANDBOX_CLOUD_ID,
        url: t.site,
        scopes: expect.arrayContaining(["read:jira-work"]),
      }),
    ]);

    const myself = await gateway(`/ex/jira/${SANDBOX_CLOUD_ID}/rest/api/3/myself`, second.body.access_token);
    expect(myself.status).toBe(200);
    expect(await myself.json()).toMatchObject({
      displayName: "Sandbox User",
      self: expect.stringContaining(`/jira/gateway/ex/jira/${SANDBOX_CLOUD_ID}/rest/api/3/user?accountId=`),
    });
    // 3LO traffic counts against the points quota, and says so.
    expect(myself.headers.get("x-ratelimit-limit")).toBe("65000");
    expect(myself.headers.get("ratelimit-policy")).toBe('"global-app-quota";q=65000;w=3600');

    const comment = await gateway(
      `/ex/jira/${SANDBOX_CLOUD_ID}/rest/api/3/issue/OPS-5/comment`,
      second.body.access_token,
      {
        method: "POST",
        body: JSON.stringify({
          body: {
            type: "doc",
            version: 1,
            content: [{ type: "paragraph", content: [{ type: "text", text: "via 3LO" }] }],
          },
        }),
      },
    );
    expect(comment.status).toBe(201);
    expect(t.sandbox.state.jira.issue("OPS-5")?.comments.at(-1)?.authorId).toBe(
      t.sandbox.state.jira.userByEmail("sandbox-user@example.com")?.accountId,
    );
  });

  it("lets a rotated-out token be replayed inside the reuse window; after it, the whole grant is revoked", async () => {
    const initial = t.env.JIRA_OAUTH_REFRESH_TOKEN as string;
    const first = await refresh(initial);
    const second = await refresh(first.body.refresh_token);

    clock += minutes(5);
    const replay = await refresh(first.body.refresh_token);
    expect(replay.status).toBe(200);
    expect(replay.body.refresh_token).toBe(second.body.refresh_token);

    clock += minutes(6); // the initial token was rotated out 11 minutes ago
    const reuse = await refresh(initial);
    expect(reuse).toEqual({
      status: 403,
      body: { error: "invalid_grant", error_description: "Unknown or invalid refresh token." },
    });
    // Everything of the grant is dead now: the newest refresh token and the access tokens.
    expect((await refresh(second.body.refresh_token)).body.error).toBe("invalid_grant");
    const revoked = await gateway(`/ex/jira/${SANDBOX_CLOUD_ID}/rest/api/3/myself`, replay.body.access_token);
    expect(revoked.status).toBe(401);
    expect(await revoked.json()).toEqual({ code: 401, message: "Unauthorized" });
    expect(t.sandbox.state.jira.oauth.grants()[0]?.revoked).toBe("reuse");

    t.sandbox.reset(); // a reset brings the grant (and the same first refresh token) back
    expect((await refresh(initial)).status).toBe(200);
  });

  it("expires access tokens after the TTL (3600 s); the latest refresh token still works", async () => {
    const first = await refresh(t.env.JIRA_OAUTH_REFRESH_TOKEN as string);
    const path = `/ex/jira/${SANDBOX_CLOUD_ID}/rest/api/3/issue/OPS-1?fields=summary`;
    clock += 3599_000;
    expect((await gateway(path, first.body.access_token)).status).toBe(200);
    clock += 1000;
    const expired = await gateway(path, first.body.access_token);
    expect(expired.status).toBe(401);
    const next = await refresh(first.body.refresh_token);
    expect((await gateway(path, next.body.access_token)).status).toBe(200);
  });

  it("refuses wrong client credentials, unknown tokens and other grant types; accepts form encoding", async () => {
    const wrongSecret = await refresh(t.env.JIRA_OAUTH_REFRESH_TOKEN as string, { client_secret: "nope" });
    expect(wrongSecret).toEqual({
      status: 401,
      body: { error: "access_denied", error_description: "Unauthorized" },
    });
    expect((await refresh("not-a-token")).body.error).toBe("invalid_grant");
    expect((await refresh("x", { grant_type: "password" })).body.error).toBe("unsupported_grant_type");
    const form = await fetch(`${t.env.JIRA_AUTH_BASE_URL}/oauth/token`, {
      method: "POST",
      body: new URLSearchParams({
        grant_type: "refresh_token",
        client_id: t.env.JIRA_OAUTH_CLIENT_ID as string,
        client_secret: t.env.JIRA_OAUTH_CLIENT_SECRET as string,
        refresh_token: t.env.JIRA_OAUTH_REFRESH_TOKEN as string,
      }),
    });
    expect(form.status).toBe(200);
    // OAuth access tokens only work through the gateway, never on the site URL.
    const { access_token } = (await form.json()) as TokenAnswer;
    expect((await t.request("GET", "/rest/api/3/myself", undefined, `Bearer ${access_token}`)).status).toBe(
      401,
    );
    expect((await gateway(`/ex/jira/not-the-cloud-id/rest/api/3/myself`, access_token)).status).toBe(404);
  });

  it("checks scopes: a read-only grant cannot write (401 scope does not match)", async () => {
    const readOnly = t.sandbox.state.jira.oauth.issueGrant({ scopes: ["read:jira-work", "offline_access"] });
    const tokens = await refresh(readOnly);
    const read = await gateway(
      `/ex/jira/${SANDBOX_CLOUD_ID}/rest/api/3/issue/OPS-1?fields=summary`,
      tokens.body.access_token,
    );
    expect(read.status).toBe(200);
    const write = await gateway(
      `/ex/jira/${SANDBOX_CLOUD_ID}/rest/api/3/issue/OPS-1`,
      tokens.body.access_token,
      {
        method: "PUT",
        body: JSON.stringify({ fields: { summary: "nope" } }),
      },
    );
    expect(write.status).toBe(401);
    expect(await write.json()).toEqual({ code: 401, message: "Unauthorized; scope does not match" });
  });

  it("refuses every 3LO request once the hourly points quota is spent, until the top of the UTC hour", async () => {
    t.sandbox.state.jira.rateLimits.configure({ quota: { pointsPerHour: 10 } });
    const { body } = await refresh(t.env.JIRA_OAUTH_REFRESH_TOKEN as string);
    const path = `/ex/jira/${SANDBOX_CLOUD_ID}/rest/api/3/search/jql?jql=project%3DOPS&fields=summary&maxResults=4`;
    const first = await gateway(path, body.access_token);
    expect(first.headers.get("x-ratelimit-remaining")).toBe("5");
    const second = await gateway(path, body.access_token);
    expect(second.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(second.headers.get("x-ratelimit-nearlimit")).toBe("true");
    const refused = await gateway(`/ex/jira/${SANDBOX_CLOUD_ID}/rest/api/3/myself`, body.access_token);
    expect(refused.status).toBe(429);
    expect(Object.fromEntries(refused.headers)).toMatchObject({
      "ratelimit-reason": "jira-quota-global-based",
      "retry-after": String(45 * 60),
      "x-ratelimit-reset": "2026-03-02T11:00:00Z",
    });
    // API-token traffic is not counted.
    expect((await t.request("GET", "/rest/api/3/myself")).status).toBe(200);
    clock = Date.parse("2026-03-02T11:00:00Z");
    expect((await gateway(`/ex/jira/${SANDBOX_CLOUD_ID}/rest/api/3/myself`, body.access_token)).status).toBe(
      200,
    );
    t.sandbox.state.jira.rateLimits.configure({});
  });
});
