import { missingArgument, SlackApiError } from "../slack-http.js";
import type { SlackMethod } from "../slack-method.js";
import { messageJson } from "../slack-serialize.js";
import { parseTs } from "../slack-ts.js";

/** Slack truncates text beyond 40,000 characters; the fake refuses it with `msg_too_long`. */
export const SLACK_MAX_MESSAGE_LENGTH = 40_000;

const EMOJI_NAME = /^[a-z0-9_+'-]+(::skin-tone-[2-6])?$/;

export const chatPostMessage: SlackMethod = {
  name: "chat.postMessage",
  rate: "post_message",
  handle(ctx) {
    const channel = ctx.writableChannel("chat:write");
    const text = ctx.args.string("text") ?? "";
    const blocks = ctx.args.json("blocks", () => new SlackApiError("invalid_blocks"));
    const attachments = ctx.args.json("attachments", () => new SlackApiError("invalid_attachments"));
    if (blocks !== undefined && !Array.isArray(blocks)) throw new SlackApiError("invalid_blocks");
    if (attachments !== undefined && !Array.isArray(attachments))
      throw new SlackApiError("invalid_attachments");
    const hasContent =
      text.trim() !== "" ||
      (Array.isArray(blocks) && blocks.length > 0) ||
      (Array.isArray(attachments) && attachments.length > 0);
    if (!hasContent) throw new SlackApiError("no_text");
    if (text.length > SLACK_MAX_MESSAGE_LENGTH) throw new SlackApiError("msg_too_long");
    const threadTs = ctx.args.string("thread_ts")?.trim();
    // Text is stored verbatim: `<!channel>`, `@here` and the rest are the connector's business, not the fake's.
    const message = ctx.state.post(ctx.principal, channel, {
      text,
      threadTs: threadTs === "" ? undefined : threadTs,
      broadcast: ctx.args.bool("reply_broadcast"),
      blocks,
      attachments,
    });
    return { channel: channel.id, ts: message.ts, message: messageJson(message, ctx.state) };
  },
};

export const reactionsAdd: SlackMethod = {
  name: "reactions.add",
  rate: 3,
  scopes: ["reactions:write"],
  handle(ctx) {
    const name = ctx.args.string("name")?.trim();
    if (name === undefined || name === "") throw missingArgument("name");
    const timestamp = ctx.args.string("timestamp")?.trim();
    if (!ctx.args.has("channel") || timestamp === undefined || timestamp === "") {
      throw new SlackApiError("no_item_specified");
    }
    const channel = ctx.writableChannel("reactions:write");
    if (!EMOJI_NAME.test(name)) throw new SlackApiError("invalid_name");
    if (parseTs(timestamp) === undefined) throw new SlackApiError("bad_timestamp");
    const message = channel.byTs.get(timestamp);
    if (!message) throw new SlackApiError("message_not_found");
    ctx.state.react(ctx.principal, message, name);
    return {};
  },
};

export const CHAT_METHODS = [chatPostMessage, reactionsAdd];
