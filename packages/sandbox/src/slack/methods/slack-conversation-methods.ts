import { decodeCursor, encodeCursor, pageByKey, pageLimit, responseMetadata } from "../slack-cursor.js";
import { missingArgument, SlackApiError, type SlackArgs } from "../slack-http.js";
import type { SlackContext, SlackMethod } from "../slack-method.js";
import type { SlackMessageRecord } from "../slack-model.js";
import { NON_MARKETPLACE_HISTORY_LIMIT } from "../slack-rate-limit.js";
import { channelJson, messageJson } from "../slack-serialize.js";
import { parseTs } from "../slack-ts.js";

const TYPE_SCOPES: Readonly<Record<string, string>> = {
  public_channel: "channels:read",
  private_channel: "groups:read",
  mpim: "mpim:read",
  im: "im:read",
};

/** `oldest`/`latest`/`inclusive` as a predicate on messages (Slack's bounds are exclusive unless `inclusive`). */
function timeRange(args: SlackArgs): (message: SlackMessageRecord) => boolean {
  const bound = (name: "oldest" | "latest") => {
    const raw = args.string(name);
    if (raw === undefined || raw.trim() === "") return undefined;
    const micros = parseTs(raw);
    if (micros === undefined) throw new SlackApiError(`invalid_ts_${name}`);
    return micros;
  };
  const oldest = bound("oldest") ?? 0;
  const latest = bound("latest") ?? Number.POSITIVE_INFINITY;
  const inclusive = args.bool("inclusive");
  return (message) =>
    (inclusive ? message.micros >= oldest : message.micros > oldest) &&
    (inclusive ? message.micros <= latest : message.micros < latest);
}

/** history/replies `limit`: default 100 (history) or 1000 (replies), max 999/1000; 15 and 15 for non-Marketplace apps. */
function historyLimit(ctx: SlackContext, fallback: number, max: number): number {
  const capped = ctx.state.rateLimits.profile === "non_marketplace";
  return pageLimit(
    ctx.args,
    capped
      ? { fallback: NON_MARKETPLACE_HISTORY_LIMIT, max: NON_MARKETPLACE_HISTORY_LIMIT }
      : { fallback, max },
  );
}

/** A `next_ts:<microseconds>` cursor (Slack's history cursors decode to `next_ts:1512085861000543`). */
function cursorPosition(ctx: SlackContext): number | undefined {
  const cursor = ctx.args.string("cursor");
  if (cursor === undefined || cursor.trim() === "") return undefined;
  const position = decodeCursor(cursor, "next_ts");
  if (!/^\d+$/.test(position)) throw new SlackApiError("invalid_cursor");
  return Number(position);
}

export const conversationsList: SlackMethod = {
  name: "conversations.list",
  rate: 2,
  handle(ctx) {
    const types = (ctx.args.string("types") ?? "public_channel")
      .split(",")
      .map((type) => type.trim())
      .filter((type) => type !== "");
    if (types.length === 0 || types.some((type) => !(type in TYPE_SCOPES))) {
      throw new SlackApiError("invalid_types");
    }
    for (const type of types) ctx.requireScope(TYPE_SCOPES[type] as string);
    const limit = pageLimit(ctx.args, { fallback: 100, max: 1000 });
    const excludeArchived = ctx.args.bool("exclude_archived");
    const { state, principal } = ctx;
    const candidates = state
      .channels()
      .filter((channel) => types.includes(channel.isPrivate ? "private_channel" : "public_channel"));
    const { page, next } = pageByKey(
      candidates,
      (channel) => channel.id,
      ctx.args.string("cursor"),
      "channel",
      limit,
    );
    // As on Slack, filters apply after the page is cut: a page may hold fewer than `limit` channels (even none)
    // while `next_cursor` says there are more.
    const channels = page
      .filter((channel) => state.canSee(principal, channel) && !(excludeArchived && channel.isArchived))
      .map((channel) => channelJson(channel, { isMember: state.isMember(principal, channel) }));
    return { channels, ...responseMetadata(next) };
  },
};

export const conversationsInfo: SlackMethod = {
  name: "conversations.info",
  rate: 3,
  handle(ctx) {
    const channel = ctx.readableChannel({ history: false });
    return {
      channel: channelJson(channel, {
        isMember: ctx.state.isMember(ctx.principal, channel),
        numMembers: ctx.args.bool("include_num_members"),
      }),
    };
  },
};

export const conversationsHistory: SlackMethod = {
  name: "conversations.history",
  rate: "history",
  handle(ctx) {
    const channel = ctx.readableChannel({ history: true });
    const limit = historyLimit(ctx, 100, 999);
    const inRange = timeRange(ctx.args);
    const position = cursorPosition(ctx);
    const newestFirst = channel.timeline
      .filter((message) => inRange(message) && (position === undefined || message.micros <= position))
      .reverse();
    const page = newestFirst.slice(0, limit);
    const following = newestFirst[limit];
    return {
      messages: page.map((message) => messageJson(message, ctx.state)),
      has_more: following !== undefined,
      pin_count: 0,
      channel_actions_ts: null,
      channel_actions_count: 0,
      ...responseMetadata(following && encodeCursor("next_ts", String(following.micros))),
    };
  },
};

export const conversationsReplies: SlackMethod = {
  name: "conversations.replies",
  rate: "history",
  handle(ctx) {
    const channel = ctx.readableChannel({ history: true });
    const ts = ctx.args.string("ts")?.trim();
    if (ts === undefined || ts === "") throw missingArgument("ts");
    const target = channel.byTs.get(ts);
    if (!target) throw new SlackApiError("thread_not_found");
    const isReply = target.threadTs !== undefined && target.threadTs !== target.ts;
    const parent = isReply ? channel.byTs.get(target.threadTs as string) : target;
    if (!parent) throw new SlackApiError("thread_not_found");
    const limit = historyLimit(ctx, 1000, 1000);
    const inRange = timeRange(ctx.args);
    const position = cursorPosition(ctx);
    // The thread oldest first, the parent leading the first page only.
    const thread = [parent, ...parent.replies.filter(inRange)].filter(
      (message) => position === undefined || message.micros >= position,
    );
    const page = thread.slice(0, limit);
    const following = thread[limit];
    return {
      messages: page.map((message) => messageJson(message, ctx.state)),
      has_more: following !== undefined,
      ...responseMetadata(following && encodeCursor("next_ts", String(following.micros))),
    };
  },
};

export const CONVERSATION_METHODS = [
  conversationsList,
  conversationsInfo,
  conversationsHistory,
  conversationsReplies,
];
