import { z } from "zod";
import { postedOutput, postMessage } from "../slack-posting.js";
import { defineSlackTool, WRITE_ANNOTATIONS } from "../slack-tool.js";
import { channelLabel, channelRef, messageText, messageTs } from "../slack-validation.js";

export const slackReplyInThread = defineSlackTool({
  name: "slack_reply_in_thread",
  title: "Reply in a thread",
  description:
    "Reply in a message's thread. threadTs is the ts of the thread's first message (or of the message to start a thread on). Same channel rules as slack_post_message. Not idempotent.",
  input: z.object({
    channel: channelRef.describe("Channel id (C0123ABCD) or name (#ops)."),
    threadTs: messageTs.describe("ts of the thread's first message."),
    text: messageText.describe("Reply text, Slack mrkdwn."),
    alsoSendToChannel: z.boolean().default(false).describe("Also show the reply in the channel itself."),
  }),
  output: postedOutput,
  annotations: WRITE_ANNOTATIONS,
  rateLimit: { bucket: "chat.postMessage", key: (input) => input.channel },
  describeCall: (input) => ({
    summary: `Reply in ${channelLabel(input.channel)} thread ${input.threadTs}: "${input.text.slice(0, 80)}"`,
    targets: [channelLabel(input.channel)],
  }),
  execute: (input, ctx) =>
    postMessage(ctx, {
      channel: input.channel,
      text: input.text,
      threadTs: input.threadTs,
      replyBroadcast: input.alsoSendToChannel,
    }),
});
