import { ConnectorError } from "@switchyard/core";
import { z } from "zod";
import { okSchema } from "../slack-api.js";
import { assertWritableChannel, channelIdFor } from "../slack-channels.js";
import { slackRequest } from "../slack-client.js";
import { defineSlackTool, REACTION_ANNOTATIONS } from "../slack-tool.js";
import { channelLabel, channelRef, messageTs, reactionName } from "../slack-validation.js";

export const slackAddReaction = defineSlackTool({
  name: "slack_add_reaction",
  title: "Add a reaction",
  description:
    "Add an emoji reaction to a message (name without colons, e.g. white_check_mark). Idempotent: a reaction that is already there counts as success. Only allowlisted channels.",
  input: z.object({
    channel: channelRef.describe("Channel id (C0123ABCD) or name (#ops)."),
    timestamp: messageTs.describe("ts of the message to react to."),
    name: reactionName.describe("Emoji name, e.g. eyes or :white_check_mark:."),
  }),
  output: z.object({
    channel: z.string(),
    timestamp: z.string(),
    name: z.string(),
    alreadyReacted: z.boolean().describe("True when the reaction was already there (nothing changed)."),
  }),
  annotations: REACTION_ANNOTATIONS,
  rateLimit: { bucket: "reactions.add" },
  describeCall: (input) => ({
    summary: `React :${input.name}: to ${channelLabel(input.channel)} message ${input.timestamp}`,
    targets: [channelLabel(input.channel)],
  }),
  async execute(input, ctx) {
    await assertWritableChannel(ctx, input.channel);
    const channel = await channelIdFor(ctx, input.channel);
    const result = { channel, timestamp: input.timestamp, name: input.name };
    try {
      await slackRequest(
        ctx,
        "reactions.add",
        { channel, timestamp: input.timestamp, name: input.name },
        okSchema,
      );
      return { ...result, alreadyReacted: false };
    } catch (error) {
      if (ConnectorError.isInstance(error) && error.upstream?.code === "already_reacted") {
        return { ...result, alreadyReacted: true };
      }
      throw error;
    }
  },
});
