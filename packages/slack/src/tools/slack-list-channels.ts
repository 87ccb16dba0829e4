import { listInputShape, listOutputSchema, READ_ANNOTATIONS } from "@switchyard/core";
import { z } from "zod";
import { conversationsListSchema } from "../slack-api.js";
import { slackRequest } from "../slack-client.js";
import { channelOutput, toChannel } from "../slack-output.js";
import { listByCursor } from "../slack-pagination.js";
import { SLACK_PAGE_SIZES } from "../slack-rate-limits.js";
import { defineSlackTool } from "../slack-tool.js";

export const slackListChannels = defineSlackTool({
  name: "slack_list_channels",
  title: "List channels",
  description:
    "List channels with their ids, topics and whether the app is a member. Public channels by default; private ones are listed only when the token is in them. May return fewer than limit: continue with nextCursor.",
  input: z
    .object({
      includePublic: z.boolean().default(true).describe("Public channels."),
      includePrivate: z.boolean().default(false).describe("Private channels this token is a member of."),
      excludeArchived: z.boolean().default(true),
      ...listInputShape(SLACK_PAGE_SIZES["conversations.list"], 50),
    })
    .refine((input) => input.includePublic || input.includePrivate, {
      message: "include public or private channels (or both)",
      path: ["includePublic"],
    }),
  output: listOutputSchema(channelOutput),
  annotations: READ_ANNOTATIONS,
  rateLimit: { bucket: "conversations.list" },
  async execute(input, ctx) {
    const types = [input.includePublic ? "public_channel" : "", input.includePrivate ? "private_channel" : ""]
      .filter(Boolean)
      .join(",");
    return listByCursor(ctx, {
      limit: input.limit,
      cursor: input.cursor,
      maxPageSize: SLACK_PAGE_SIZES["conversations.list"],
      fetch: (cursor, pageSize) =>
        slackRequest(
          ctx,
          "conversations.list",
          { types, exclude_archived: input.excludeArchived, limit: pageSize, cursor },
          conversationsListSchema,
        ),
      nextCursor: (page) => page.response_metadata?.next_cursor,
      items: (page) => {
        ctx.client.channels.rememberAll(page.channels);
        return page.channels.map(toChannel);
      },
    });
  },
});
