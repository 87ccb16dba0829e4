import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  SLACK_BOT_USER_ID,
  SLACK_INSTALLER_USER_ID,
  SLACK_SANDBOX_CLIENT_ID,
  SLACK_SANDBOX_CLIENT_SECRET,
  SLACK_SANDBOX_REFRESH_TOKEN,
  SLACK_SANDBOX_USER_REFRESH_TOKEN,
} from "../src/slack/index.js";
import { manualClock, platformError, type SlackTestClient, slackSandbox } from "./slack-helpers.js";

/** Token rotation: oauth.v2.access with grant_type=refresh_token, single-use refresh tokens, expiring access tokens. */

const clock = manualClock();
let slack: SlackTestClient;

beforeAll(async () => {
  slack = await slackSandbox({ now: clock.now });
});
afterAll(async () => {
  await slack.sandbox.close();
});

const refresh = (
  refreshToken: string,
  credentials = { id: SLACK_SANDBOX_CLIENT_ID, secret: SLACK_SANDBOX_CLIENT_SECRET },
) =>
  slack.client("").oauth.v2.access({
    client_id: credentials.id,
    client_secret: credentials.secret,
    grant_type: "refresh_token",
    refresh_token: refreshToken,
  });

describe("token rotation", () => {
  it("refreshes twice; each refresh token works once and each access token lasts 12 hours", async () => {
    const env = slack.sandbox.env;
    expect(env.SLACK_REFRESH_TOKEN).toBe(SLACK_SANDBOX_REFRESH_TOKEN);
    const first = await refresh(env.SLACK_REFRESH_TOKEN as string);
    expect(first).toMatchObject({
      ok: true,
      token_type: "bot",
      expires_in: 43_200,
      bot_user_id: SLACK_BOT_USER_ID,
      team: { id: "T0SANDBOX" },
    });
    expect(first.access_token).toMatch(/^xoxe\.xoxb-1-/);
    expect(first.refresh_token).toMatch(/^xoxe-1-/);
    expect(first.refresh_token).not.toBe(env.SLACK_REFRESH_TOKEN);
    expect(slack.sandbox.state.slack.rotationCredentials().refreshToken).toBe(first.refresh_token);

    // The used refresh token is spent.
    expect(await platformError(refresh(env.SLACK_REFRESH_TOKEN as string))).toMatchObject({
      ok: false,
      error: "invalid_refresh_token",
    });

    const firstClient = slack.client(first.access_token as string);
    expect(await firstClient.auth.test()).toMatchObject({
      ok: true,
      user_id: SLACK_BOT_USER_ID,
      expires_in: 43_200,
    });

    clock.advance(3_600_000);
    const second = await refresh(first.refresh_token as string);
    expect(second.access_token).toMatch(/^xoxe\.xoxb-1-/);
    expect(second.access_token).not.toBe(first.access_token);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(await platformError(refresh(first.refresh_token as string))).toMatchObject({
      error: "invalid_refresh_token",
    });
    expect(await platformError(refresh(env.SLACK_REFRESH_TOKEN as string))).toMatchObject({
      error: "invalid_refresh_token",
    });

    // The first access token keeps working until its own 12 hours are up.
    expect((await firstClient.auth.test()).expires_in).toBe(39_600);
    clock.advance(39_600_000 - 1_000);
    expect((await firstClient.conversations.list({ limit: 1 })).ok).toBe(true);
    clock.advance(1_000);
    expect(await platformError(firstClient.conversations.list({ limit: 1 }))).toMatchObject({
      error: "token_expired",
    });
    const secondClient = slack.client(second.access_token as string);
    expect((await secondClient.auth.test()).expires_in).toBe(3_600);
    clock.advance(3_600_000);
    expect(await platformError(secondClient.auth.test())).toMatchObject({ error: "token_expired" });
  });

  it("rotates the user token too (xoxe.xoxp-, search works with it)", async () => {
    const rotated = await refresh(SLACK_SANDBOX_USER_REFRESH_TOKEN);
    expect(rotated).toMatchObject({
      ok: true,
      token_type: "user",
      authed_user: { id: SLACK_INSTALLER_USER_ID },
    });
    expect(rotated.access_token).toMatch(/^xoxe\.xoxp-1-/);
    expect(rotated.scope).toContain("search:read");
    const found = await slack.client(rotated.access_token as string).search.messages({ query: "quarterly" });
    expect(found.messages?.total).toBe(2);
  });

  it("checks client credentials (form fields or HTTP Basic) and the grant type", async () => {
    slack.sandbox.reset("slack");
    expect(
      await platformError(
        refresh(SLACK_SANDBOX_REFRESH_TOKEN, { id: "nope", secret: SLACK_SANDBOX_CLIENT_SECRET }),
      ),
    ).toMatchObject({ error: "invalid_client_id" });
    expect(
      await platformError(
        refresh(SLACK_SANDBOX_REFRESH_TOKEN, { id: SLACK_SANDBOX_CLIENT_ID, secret: "wrong" }),
      ),
    ).toMatchObject({ error: "bad_client_secret" });
    const noGrant = await slack.post(
      "oauth.v2.access",
      { client_id: SLACK_SANDBOX_CLIENT_ID, client_secret: SLACK_SANDBOX_CLIENT_SECRET, refresh_token: "x" },
      { token: null },
    );
    expect(await noGrant.json()).toEqual({ ok: false, error: "invalid_grant_type" });
    const code = await slack.post(
      "oauth.v2.access",
      { client_id: SLACK_SANDBOX_CLIENT_ID, client_secret: SLACK_SANDBOX_CLIENT_SECRET, code: "123.456" },
      { token: null },
    );
    expect(await code.json()).toEqual({ ok: false, error: "invalid_code" });

    // Client credentials by HTTP Basic, as Slack prefers; reset() made the seeded refresh token valid again.
    const basic = Buffer.from(`${SLACK_SANDBOX_CLIENT_ID}:${SLACK_SANDBOX_CLIENT_SECRET}`).toString("base64");
    const response = await fetch(`${slack.apiUrl}oauth.v2.access`, {
      method: "POST",
      headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: SLACK_SANDBOX_REFRESH_TOKEN }),
    });
    expect(await response.json()).toMatchObject({ ok: true, token_type: "bot", expires_in: 43_200 });
  });

  it("takes the access-token lifetime from rotatedTokenTtlSeconds", async () => {
    const short = await slackSandbox({ now: clock.now, options: { slack: { rotatedTokenTtlSeconds: 60 } } });
    try {
      const rotated = await short.client("").oauth.v2.access({
        client_id: SLACK_SANDBOX_CLIENT_ID,
        client_secret: SLACK_SANDBOX_CLIENT_SECRET,
        grant_type: "refresh_token",
        refresh_token: short.sandbox.env.SLACK_REFRESH_TOKEN as string,
      });
      expect(rotated.expires_in).toBe(60);
      const client = short.client(rotated.access_token as string);
      expect((await client.auth.test()).ok).toBe(true);
      clock.advance(60_000);
      expect(await platformError(client.auth.test())).toMatchObject({ error: "token_expired" });
    } finally {
      await short.sandbox.close();
    }
  });
});
