import { z } from "zod";
import { postedOutput, postMessage } from "../slack-posting.js";
import { defineSlackTool, WRITE_ANNOTATIONS } from "../slack-tool.js";
import { channelLabel, channelRef, messageText } from "../slack-validation.js";

export const slackPostMessage = defineSlackTool({
  name: "slack_post_message",
  title: "Post a message",
  description:
    "Post a message to a channel (Slack mrkdwn). Only allowlisted channels; @channel/@here/@everyone are refused unless the operator allowed them. Not idempotent: calling twice posts twice.",
  input: z.object({
    channel: channelRef.describe("Channel id (C0123ABCD) or name (#ops)."),
    text: messageText.describe("Message text, Slack mrkdwn; mention people as <@U0123ABCD>."),
  }),
  output: postedOutput,
  annotations: WRITE_ANNOTATIONS,
  rateLimit: { bucket: "chat.postMessage", key: (input) => input.channel },
  describeCall: (input) => ({
    summary: `Post to ${channelLabel(input.channel)}: "${input.text.slice(0, 80)}"`,
    targets: [channelLabel(input.channel)],
  }),
  execute: (input, ctx) => postMessage(ctx, { channel: input.channel, text: input.text }),
});
