import type { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  SLACK_GENERAL_CHANNEL_ID,
  SLACK_NO_BOTS_CHANNEL_ID,
  SLACK_SANDBOX_BOT_TOKEN,
  SLACK_SANDBOX_LIMITED_BOT_TOKEN,
  SLACK_SANDBOX_REVOKED_BOT_TOKEN,
  SLACK_SANDBOX_USER_TOKEN,
} from "../src/slack/index.js";
import { platformError, type SlackTestClient, slackSandbox } from "./slack-helpers.js";

/** Slack's error answers: HTTP 200 `{ ok: false, error }` for everything but real rate limits. */

const EXPIRED = "xoxb-1000000001-2000000000009-ExpiredOnPurpose0000000";
const DEACTIVATED = "xoxp-1000000001-1000000000014-3000000000014-mallorymallorymallorymallory00";
const DISPOSABLE = "xoxb-1000000001-2000000000010-RevokeMeInATest00000000";

let slack: SlackTestClient;
let bot: WebClient;
let user: WebClient;

beforeAll(async () => {
  slack = await slackSandbox({
    options: {
      slack: {
        rateLimits: false,
        tokens: {
          [EXPIRED]: { kind: "bot", expiresAt: 0 },
          [DEACTIVATED]: { kind: "user", user: "U0SBX0014" },
          [DISPOSABLE]: { kind: "bot" },
        },
      },
    },
  });
  bot = slack.client(SLACK_SANDBOX_BOT_TOKEN);
  user = slack.client(SLACK_SANDBOX_USER_TOKEN);
});
afterAll(async () => {
  await slack.sandbox.close();
});

const history = (client: WebClient, channel: string) => client.conversations.history({ channel });

describe("authentication errors", () => {
  it("invalid_auth, not_authed, token_revoked, token_expired, account_inactive", async () => {
    expect(await platformError(slack.client("xoxb-not-a-real-token").auth.test())).toMatchObject({
      ok: false,
      error: "invalid_auth",
    });
    const anonymous = await slack.post("auth.test", {}, { token: null });
    expect(anonymous.status).toBe(200);
    expect(await anonymous.json()).toEqual({ ok: false, error: "not_authed" });
    expect(await platformError(slack.client(SLACK_SANDBOX_REVOKED_BOT_TOKEN).auth.test())).toMatchObject({
      error: "token_revoked",
    });
    expect(await platformError(slack.client(EXPIRED).auth.test())).toMatchObject({ error: "token_expired" });
    expect(await platformError(slack.client(DEACTIVATED).auth.test())).toMatchObject({
      error: "account_inactive",
    });
  });

  it("takes the token from a form field, never from a JSON body", async () => {
    const form = await slack.post("auth.test", { token: SLACK_SANDBOX_BOT_TOKEN }, { token: null });
    expect(await form.json()).toMatchObject({ ok: true, user_id: "U0SBXBOT1" });
    const json = await slack.post(
      "auth.test",
      { token: SLACK_SANDBOX_BOT_TOKEN },
      { token: null, json: true },
    );
    expect(await json.json()).toEqual({ ok: false, error: "not_authed" });
  });

  it("auth.revoke makes a token answer token_revoked from then on", async () => {
    const disposable = slack.client(DISPOSABLE);
    expect(await disposable.auth.revoke({ test: true })).toMatchObject({ ok: true, revoked: false });
    expect(await disposable.auth.revoke()).toMatchObject({ ok: true, revoked: true });
    expect(await platformError(disposable.auth.test())).toMatchObject({ error: "token_revoked" });
  });

  it("missing_scope lists needed and provided scopes", async () => {
    const limited = slack.client(SLACK_SANDBOX_LIMITED_BOT_TOKEN);
    expect(await platformError(history(limited, SLACK_GENERAL_CHANNEL_ID))).toEqual({
      ok: false,
      error: "missing_scope",
      needed: "channels:history,groups:history,im:history,mpim:history",
      provided: "channels:read",
      response_metadata: {
        scopes: ["channels:read"],
        acceptedScopes: ["channels:history", "groups:history", "im:history", "mpim:history"],
      },
    });
    expect(
      await platformError(limited.chat.postMessage({ channel: SLACK_GENERAL_CHANNEL_ID, text: "hi" })),
    ).toMatchObject({ error: "missing_scope", needed: "chat:write" });
    expect(
      await platformError(limited.users.lookupByEmail({ email: "alice.nguyen@example.com" })),
    ).toMatchObject({
      error: "missing_scope",
      needed: "users:read.email",
    });
    expect(await platformError(bot.conversations.list({ types: "im" }))).toMatchObject({
      error: "missing_scope",
      needed: "im:read",
    });
    // The limited token still lists channels.
    expect((await limited.conversations.list({ limit: 5 })).ok).toBe(true);
  });

  it("not_allowed_token_type for search with a bot token", async () => {
    expect(await platformError(bot.search.messages({ query: "deploy" }))).toMatchObject({
      error: "not_allowed_token_type",
    });
  });
});

describe("channel and user errors", () => {
  it("channel_not_found for unknown channels and private channels the caller is not in", async () => {
    expect(await platformError(history(bot, "C0SBXNOPE1"))).toMatchObject({ error: "channel_not_found" });
    const leadership = slack.sandbox.state.slack.channelByName("leadership")?.id as string;
    expect(await platformError(history(bot, leadership))).toMatchObject({ error: "channel_not_found" });
    expect((await history(user, leadership)).ok).toBe(true);
    expect(await platformError(bot.chat.postMessage({ channel: "#nope", text: "hi" }))).toMatchObject({
      error: "channel_not_found",
    });
    expect(await platformError(bot.conversations.info({ channel: leadership }))).toMatchObject({
      error: "channel_not_found",
    });
  });

  it("not_in_channel for the bot on a public channel it has not joined (history and posts)", async () => {
    expect(await platformError(history(bot, SLACK_NO_BOTS_CHANNEL_ID))).toMatchObject({
      error: "not_in_channel",
    });
    expect(
      await platformError(bot.chat.postMessage({ channel: SLACK_NO_BOTS_CHANNEL_ID, text: "hello?" })),
    ).toMatchObject({ error: "not_in_channel" });
    // A user token reads public channels it is not in; the bot may still look the channel up.
    expect((await bot.conversations.info({ channel: SLACK_NO_BOTS_CHANNEL_ID })).channel?.is_member).toBe(
      false,
    );
  });

  it("user_not_found and users_not_found", async () => {
    expect(await platformError(bot.users.info({ user: "U0NOBODY" }))).toMatchObject({
      error: "user_not_found",
    });
    expect(await platformError(bot.users.lookupByEmail({ email: "nobody@example.com" }))).toMatchObject({
      error: "users_not_found",
    });
  });

  it("invalid_arguments for a missing required field, with Slack's response_metadata message", async () => {
    const data = await platformError(bot.apiCall("conversations.history", {}));
    expect(data).toMatchObject({
      error: "invalid_arguments",
      response_metadata: { messages: ["[ERROR] missing required field: channel"] },
    });
    expect(await platformError(bot.apiCall("users.info", {}))).toMatchObject({ error: "invalid_arguments" });
  });

  it("thread_not_found, invalid_cursor, invalid_limit, invalid_types, invalid_ts_oldest", async () => {
    expect(
      await platformError(
        bot.conversations.replies({ channel: SLACK_GENERAL_CHANNEL_ID, ts: "1000000000.000001" }),
      ),
    ).toMatchObject({ error: "thread_not_found" });
    expect(
      await platformError(
        bot.conversations.history({ channel: SLACK_GENERAL_CHANNEL_ID, cursor: "not a cursor!" }),
      ),
    ).toMatchObject({ error: "invalid_cursor" });
    const listCursor = (await bot.conversations.list({ limit: 2 })).response_metadata?.next_cursor as string;
    expect(
      await platformError(
        bot.conversations.history({ channel: SLACK_GENERAL_CHANNEL_ID, cursor: listCursor }),
      ),
    ).toMatchObject({ error: "invalid_cursor" });
    const badLimit = await slack.post("conversations.list", { limit: "many" });
    expect(await badLimit.json()).toMatchObject({ ok: false, error: "invalid_limit" });
    expect(await platformError(bot.conversations.list({ types: "public_channel,bogus" }))).toMatchObject({
      error: "invalid_types",
    });
    expect(
      await platformError(
        bot.conversations.history({ channel: SLACK_GENERAL_CHANNEL_ID, oldest: "yesterday" }),
      ),
    ).toMatchObject({ error: "invalid_ts_oldest" });
  });
});

describe("write errors", () => {
  it("msg_too_long, no_text, is_archived, invalid_blocks", async () => {
    expect(
      await platformError(
        bot.chat.postMessage({ channel: SLACK_GENERAL_CHANNEL_ID, text: "x".repeat(40_001) }),
      ),
    ).toMatchObject({ error: "msg_too_long" });
    expect(
      await platformError(bot.chat.postMessage({ channel: SLACK_GENERAL_CHANNEL_ID, text: "" })),
    ).toMatchObject({
      error: "no_text",
    });
    expect(await platformError(bot.chat.postMessage({ channel: "old-launch", text: "hello" }))).toMatchObject(
      {
        error: "is_archived",
      },
    );
    const badBlocks = await slack.post("chat.postMessage", {
      channel: SLACK_GENERAL_CHANNEL_ID,
      text: "x",
      blocks: "{not json",
    });
    expect(await badBlocks.json()).toMatchObject({ ok: false, error: "invalid_blocks" });
    expect(
      await platformError(
        bot.chat.postMessage({ channel: SLACK_GENERAL_CHANNEL_ID, text: "x", thread_ts: "1.000001" }),
      ),
    ).toMatchObject({
      error: "thread_not_found",
    });
  });

  it("reactions.add: already_reacted, invalid_name, message_not_found, no_item_specified", async () => {
    const { ts } = await bot.chat.postMessage({ channel: SLACK_GENERAL_CHANNEL_ID, text: "react" });
    const target = { channel: SLACK_GENERAL_CHANNEL_ID, timestamp: ts as string };
    await bot.reactions.add({ ...target, name: "thumbsup" });
    expect(await platformError(bot.reactions.add({ ...target, name: "thumbsup" }))).toMatchObject({
      error: "already_reacted",
    });
    expect(await platformError(bot.reactions.add({ ...target, name: ":thumbsup:" }))).toMatchObject({
      error: "invalid_name",
    });
    expect(
      await platformError(bot.reactions.add({ ...target, timestamp: "1000000000.000001", name: "eyes" })),
    ).toMatchObject({ error: "message_not_found" });
    expect(await platformError(bot.apiCall("reactions.add", { name: "eyes" }))).toMatchObject({
      error: "no_item_specified",
    });
  });
});

describe("request formats", () => {
  it("serves GET reads from the query string and JSON bodies for writes", async () => {
    const got = await fetch(`${slack.apiUrl}conversations.info?channel=${SLACK_GENERAL_CHANNEL_ID}`, {
      headers: { authorization: `Bearer ${SLACK_SANDBOX_BOT_TOKEN}` },
    });
    expect(got.headers.get("content-type")).toContain("application/json");
    expect(got.headers.get("x-slack-req-id")).toBeTruthy();
    expect(await got.json()).toMatchObject({
      ok: true,
      channel: { id: SLACK_GENERAL_CHANNEL_ID, is_general: true },
    });
    const posted = await slack.post(
      "chat.postMessage",
      { channel: SLACK_GENERAL_CHANNEL_ID, text: "via JSON" },
      { json: true },
    );
    expect(await posted.json()).toMatchObject({ ok: true, message: { text: "via JSON" } });
  });

  it("answers invalid_json, unknown_method, and a JSON 404 off the API", async () => {
    const broken = await fetch(`${slack.apiUrl}chat.postMessage`, {
      method: "POST",
      headers: { authorization: `Bearer ${SLACK_SANDBOX_BOT_TOKEN}`, "content-type": "application/json" },
      body: "{oops",
    });
    expect(await broken.json()).toEqual({ ok: false, error: "invalid_json" });
    expect(await platformError(bot.apiCall("chat.teleport", {}))).toMatchObject({
      error: "unknown_method",
      req_method: "chat.teleport",
    });
    const offApi = await fetch(`${slack.sandbox.urls.slack}/not-the-api`);
    expect(offApi.status).toBe(404);
    expect(await offApi.json()).toEqual({ ok: false, error: "not_found" });
  });
});
