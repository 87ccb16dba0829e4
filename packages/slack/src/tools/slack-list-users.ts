import { listInputShape, listOutputSchema, READ_ANNOTATIONS } from "@switchyard/core";
import { z } from "zod";
import { usersListSchema } from "../slack-api.js";
import { slackRequest } from "../slack-client.js";
import { toUser, userOutput } from "../slack-output.js";
import { listByCursor } from "../slack-pagination.js";
import { SLACK_PAGE_SIZES } from "../slack-rate-limits.js";
import { defineSlackTool } from "../slack-tool.js";

export const slackListUsers = defineSlackTool({
  name: "slack_list_users",
  title: "List users",
  description:
    "List workspace members (ids, names, titles, flags). Deactivated users are left out unless includeDeleted. May return fewer than limit: continue with nextCursor.",
  input: z.object({
    includeDeleted: z.boolean().default(false).describe("Also deactivated users."),
    includeBots: z.boolean().default(true).describe("Also bots and app users."),
    ...listInputShape(SLACK_PAGE_SIZES["users.list"], 50),
  }),
  output: listOutputSchema(userOutput),
  annotations: READ_ANNOTATIONS,
  rateLimit: { bucket: "users.list" },
  async execute(input, ctx) {
    return listByCursor(ctx, {
      limit: input.limit,
      cursor: input.cursor,
      maxPageSize: SLACK_PAGE_SIZES["users.list"],
      fetch: (cursor, pageSize) =>
        slackRequest(ctx, "users.list", { limit: pageSize, cursor }, usersListSchema),
      nextCursor: (page) => page.response_metadata?.next_cursor,
      items: (page) => {
        for (const member of page.members) ctx.client.users.remember(member);
        return page.members
          .map(toUser)
          .filter((user) => (input.includeDeleted || !user.deleted) && (input.includeBots || !user.isBot));
      },
    });
  },
});
