import type { ConversationsListResponse, UsersListResponse, WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  SLACK_BOT_ID,
  SLACK_BOT_USER_ID,
  SLACK_GENERAL_CHANNEL_ID,
  SLACK_GENERAL_MESSAGE_COUNT,
  SLACK_INSTALLER_USER_ID,
  SLACK_LONG_THREAD_INDEX,
  SLACK_SANDBOX_BOT_TOKEN,
  SLACK_SANDBOX_CLIENT_ID,
  SLACK_SANDBOX_CLIENT_SECRET,
  SLACK_SANDBOX_REFRESH_TOKEN,
  SLACK_SANDBOX_USER_TOKEN,
  SLACK_TEAM_ID,
} from "../src/slack/index.js";
import { platformError, type SlackTestClient, slackSandbox } from "./slack-helpers.js";

/** The real @slack/web-api WebClient against the loopback sandbox (default rate limits on). */

let slack: SlackTestClient;
let bot: WebClient;
let user: WebClient;

beforeAll(async () => {
  slack = await slackSandbox();
  bot = slack.client(SLACK_SANDBOX_BOT_TOKEN);
  user = slack.client(SLACK_SANDBOX_USER_TOKEN);
});
afterAll(async () => {
  await slack.sandbox.close();
});

interface Message {
  ts: string;
  text: string;
  user?: string;
  thread_ts?: string;
  reply_count?: number;
  bot_id?: string;
  reactions?: { name: string; users: string[]; count: number }[];
}

describe("the Slack sandbox through @slack/web-api", () => {
  it("hands out SLACK_* env for the API root and the seeded credentials", async () => {
    expect(slack.sandbox.env).toEqual({
      SLACK_API_URL: `${slack.sandbox.urls.slack}/api/`,
      SLACK_BOT_TOKEN: SLACK_SANDBOX_BOT_TOKEN,
      SLACK_USER_TOKEN: SLACK_SANDBOX_USER_TOKEN,
      SLACK_CLIENT_ID: SLACK_SANDBOX_CLIENT_ID,
      SLACK_CLIENT_SECRET: SLACK_SANDBOX_CLIENT_SECRET,
      SLACK_REFRESH_TOKEN: SLACK_SANDBOX_REFRESH_TOKEN,
    });
    expect(slack.apiUrl.startsWith("http://127.0.0.1:")).toBe(true);
  });

  it("auth.test names the bot and the user behind each token", async () => {
    const asBot = await bot.auth.test();
    expect(asBot).toMatchObject({
      ok: true,
      team_id: SLACK_TEAM_ID,
      user_id: SLACK_BOT_USER_ID,
      user: "switchyard",
      bot_id: SLACK_BOT_ID,
    });
    expect(asBot.expires_in).toBeUndefined();
    expect(asBot.response_metadata?.scopes).toContain("chat:write");
    const asUser = await user.auth.test();
    expect(asUser).toMatchObject({ ok: true, user_id: SLACK_INSTALLER_USER_ID, user: "sam" });
    expect(asUser.bot_id).toBeUndefined();
  });

  it("conversations.list pages with opaque cursors over public and the bot's private channels", async () => {
    const state = slack.sandbox.state.slack;
    const pages: number[] = [];
    const cursors: string[] = [];
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await bot.conversations.list({
        types: "public_channel,private_channel",
        limit: 40,
        ...(cursor ? { cursor } : {}),
      });
      pages.push(page.channels?.length ?? 0);
      ids.push(...(page.channels ?? []).map((channel) => channel.id as string));
      cursor = page.response_metadata?.next_cursor;
      if (cursor) cursors.push(cursor);
    } while (cursor);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    // Invisible private channels are dropped after the page is cut, as on Slack: pages may be short.
    expect(pages.every((size) => size <= 40)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const botId = SLACK_BOT_USER_ID;
    const expected = state
      .channels()
      .filter((channel) => !channel.isPrivate || channel.members.has(botId))
      .map((channel) => channel.id);
    expect(ids).toEqual(expected);
    expect(ids).not.toContain(state.channelByName("leadership")?.id);
    for (const value of cursors) {
      expect(value).toMatch(/^[A-Za-z0-9+/]+=*$/);
      expect(value).not.toContain("C0SBX");
    }

    const active = await bot.paginate("conversations.list", { exclude_archived: true, limit: 100 });
    let total = 0;
    for await (const page of active) {
      const channels = (page as ConversationsListResponse).channels ?? [];
      expect(channels.every((channel) => !channel.is_archived && !channel.is_private)).toBe(true);
      total += channels.length;
    }
    expect(total).toBe(
      state.channels().filter((channel) => !channel.isPrivate && !channel.isArchived).length,
    );
  });

  it("conversations.history pages #general newest first, and honours oldest/latest/inclusive", async () => {
    const seen: Message[] = [];
    let cursor: string | undefined;
    let calls = 0;
    do {
      const page = await bot.conversations.history({
        channel: SLACK_GENERAL_CHANNEL_ID,
        limit: 200,
        ...(cursor ? { cursor } : {}),
      });
      calls += 1;
      seen.push(...((page.messages ?? []) as Message[]));
      expect(page.has_more).toBe(Boolean(page.response_metadata?.next_cursor));
      cursor = page.response_metadata?.next_cursor;
    } while (cursor);
    expect(calls).toBe(3);
    expect(seen).toHaveLength(SLACK_GENERAL_MESSAGE_COUNT);
    const stamps = seen.map((message) => Number(message.ts));
    expect([...stamps].sort((a, b) => b - a)).toEqual(stamps);
    expect(seen.some((message) => /<@U0SBX\d{4}>/.test(message.text))).toBe(true);
    expect(seen.some((message) => /<#C0SBX\d{5}\|[a-z-]+>/.test(message.text))).toBe(true);
    expect(seen.some((message) => /<https:\/\/[^|>]+\|[^>]+>/.test(message.text))).toBe(true);
    expect(seen.some((message) => (message.reply_count ?? 0) > 0)).toBe(true);

    // A window: oldest and latest are exclusive unless inclusive is set.
    const ascending = [...seen].reverse();
    const oldest = (ascending[100] as Message).ts;
    const latest = (ascending[130] as Message).ts;
    const windowed = await bot.conversations.history({
      channel: SLACK_GENERAL_CHANNEL_ID,
      oldest,
      latest,
      limit: 10,
    });
    expect(windowed.messages).toHaveLength(10);
    expect(windowed.messages?.[0]?.ts).toBe((ascending[129] as Message).ts);
    expect(windowed.has_more).toBe(true);
    const rest = await bot.conversations.history({
      channel: SLACK_GENERAL_CHANNEL_ID,
      oldest,
      latest,
      limit: 100,
      cursor: windowed.response_metadata?.next_cursor as string,
    });
    expect(rest.messages).toHaveLength(19);
    expect(rest.messages?.at(-1)?.ts).toBe((ascending[101] as Message).ts);
    expect(rest.response_metadata?.next_cursor).toBe("");
    const inclusive = await bot.conversations.history({
      channel: SLACK_GENERAL_CHANNEL_ID,
      oldest,
      latest,
      inclusive: true,
      limit: 100,
    });
    expect(inclusive.messages).toHaveLength(31);
    expect(inclusive.messages?.[0]?.ts).toBe(latest);
    expect(inclusive.messages?.at(-1)?.ts).toBe(oldest);
  });

  it("conversations.replies returns a thread oldest first, in pages, the parent leading the first", async () => {
    const parent = slack.sandbox.state.slack.general().timeline[SLACK_LONG_THREAD_INDEX];
    expect(parent?.replies).toHaveLength(24);
    const all: Message[] = [];
    const sizes: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await bot.conversations.replies({
        channel: SLACK_GENERAL_CHANNEL_ID,
        ts: parent?.ts as string,
        limit: 10,
        ...(cursor ? { cursor } : {}),
      });
      sizes.push(page.messages?.length ?? 0);
      all.push(...((page.messages ?? []) as Message[]));
      cursor = page.response_metadata?.next_cursor;
    } while (cursor);
    expect(sizes).toEqual([10, 10, 5]);
    expect(all[0]).toMatchObject({ ts: parent?.ts, thread_ts: parent?.ts, reply_count: 24 });
    expect(all.slice(1).every((reply) => reply.thread_ts === parent?.ts)).toBe(true);
    const stamps = all.map((message) => Number(message.ts));
    expect([...stamps].sort((a, b) => a - b)).toEqual(stamps);

    // A reply's ts names the same thread.
    const viaReply = await bot.conversations.replies({
      channel: SLACK_GENERAL_CHANNEL_ID,
      ts: all[5]?.ts as string,
    });
    expect(viaReply.messages?.[0]?.ts).toBe(parent?.ts);
    expect(viaReply.messages).toHaveLength(25);
  });

  it("search.messages works with the user token and is refused to the bot token", async () => {
    const found = await user.search.messages({ query: "quarterly", sort: "timestamp", sort_dir: "asc" });
    const matches = found.messages?.matches ?? [];
    expect(matches.map((match) => match.channel?.name).sort()).toEqual(["general", "leadership"]);
    expect(Number(matches[0]?.ts)).toBeLessThan(Number(matches[1]?.ts));
    expect(matches.find((match) => match.channel?.name === "general")?.permalink).toMatch(
      /^https:\/\/switchyard-sandbox\.slack\.com\/archives\/C0SBX00001\/p\d{16}$/,
    );
    expect(found.messages?.paging).toMatchObject({ count: 20, total: 2, page: 1, pages: 1 });
    // Sam is not in #hr-private: its messages never show up.
    const hidden = await user.search.messages({ query: "salary bands" });
    expect(hidden.messages?.total).toBe(0);
    const filtered = await user.search.messages({ query: "quarterly in:#leadership" });
    expect(filtered.messages?.matches?.map((match) => match.channel?.name)).toEqual(["leadership"]);
    const paged = await user.search.messages({ query: "deploy", count: 5, page: 2 });
    expect(paged.messages?.matches).toHaveLength(5);
    expect(paged.messages?.pagination).toMatchObject({ page: 2, per_page: 5, first: 6, last: 10 });

    const refused = await platformError(bot.search.messages({ query: "quarterly" }));
    expect(refused).toMatchObject({ ok: false, error: "not_allowed_token_type" });
  });

  it("finds users by email, by id and in pages", async () => {
    const alice = await bot.users.lookupByEmail({ email: "Alice.Nguyen@example.com" });
    expect(alice.user).toMatchObject({
      id: "U0SBX0002",
      name: "alice",
      real_name: "Alice Nguyen",
      profile: { email: "alice.nguyen@example.com", display_name: "Alice" },
    });
    const info = await bot.users.info({ user: "U0SBX0002" });
    expect(info.user?.profile?.email).toBe("alice.nguyen@example.com");
    const sizes: number[] = [];
    const members = new Set<string>();
    for await (const page of bot.paginate("users.list", { limit: 10 })) {
      const list = (page as UsersListResponse).members ?? [];
      sizes.push(list.length);
      for (const member of list) members.add(member.id as string);
    }
    expect(sizes).toEqual([10, 10, 10]);
    expect(members.size).toBe(30);
  });

  it("posts messages and replies that history and replies then show, verbatim", async () => {
    const text = "<!channel> deploy of <https://ci.example.com/run/7|run 7> finished for <@U0SBX0002>";
    const posted = await bot.chat.postMessage({ channel: SLACK_GENERAL_CHANNEL_ID, text });
    expect(posted).toMatchObject({
      ok: true,
      channel: SLACK_GENERAL_CHANNEL_ID,
      message: { text, user: SLACK_BOT_USER_ID, bot_id: SLACK_BOT_ID },
    });
    const latest = await bot.conversations.history({ channel: SLACK_GENERAL_CHANNEL_ID, limit: 1 });
    expect(latest.messages?.[0]).toMatchObject({ ts: posted.ts, text });

    const reply = await user.chat.postMessage({
      channel: "#general",
      text: "thread reply",
      thread_ts: posted.ts as string,
    });
    expect(reply.message).toMatchObject({
      thread_ts: posted.ts,
      parent_user_id: SLACK_BOT_USER_ID,
      user: SLACK_INSTALLER_USER_ID,
    });
    const thread = await bot.conversations.replies({
      channel: SLACK_GENERAL_CHANNEL_ID,
      ts: posted.ts as string,
    });
    expect(thread.messages?.map((message) => message.text)).toEqual([text, "thread reply"]);
    const after = await bot.conversations.history({ channel: SLACK_GENERAL_CHANNEL_ID, limit: 1 });
    // Replies stay out of the channel's history; the parent counts them.
    expect(after.messages?.[0]).toMatchObject({ ts: posted.ts, reply_count: 1, latest_reply: reply.ts });

    const found = await user.search.messages({ query: '"run 7" from:@switchyard' });
    expect(found.messages?.matches?.map((match) => match.ts)).toEqual([posted.ts]);
  });

  it("reactions.add shows on the message", async () => {
    const posted = await bot.chat.postMessage({ channel: SLACK_GENERAL_CHANNEL_ID, text: "react to me" });
    await bot.reactions.add({
      channel: SLACK_GENERAL_CHANNEL_ID,
      timestamp: posted.ts as string,
      name: "eyes",
    });
    await user.reactions.add({
      channel: SLACK_GENERAL_CHANNEL_ID,
      timestamp: posted.ts as string,
      name: "eyes",
    });
    await user.reactions.add({
      channel: SLACK_GENERAL_CHANNEL_ID,
      timestamp: posted.ts as string,
      name: "tada",
    });
    const latest = await bot.conversations.history({ channel: SLACK_GENERAL_CHANNEL_ID, limit: 1 });
    expect(latest.messages?.[0]?.reactions).toEqual([
      { name: "eyes", users: [SLACK_BOT_USER_ID, SLACK_INSTALLER_USER_ID], count: 2 },
      { name: "tada", users: [SLACK_INSTALLER_USER_ID], count: 1 },
    ]);
  });
});
