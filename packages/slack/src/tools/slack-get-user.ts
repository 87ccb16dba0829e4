import { READ_ANNOTATIONS } from "@switchyard/core";
import { z } from "zod";
import { usersInfoSchema } from "../slack-api.js";
import { slackRequest } from "../slack-client.js";
import { toUser, userOutput } from "../slack-output.js";
import { defineSlackTool } from "../slack-tool.js";
import { userId } from "../slack-validation.js";

export const slackGetUser = defineSlackTool({
  name: "slack_get_user",
  title: "Get a user",
  description:
    "Get one user's profile by id (U0123ABCD): names, title, time zone, bot/admin/guest flags; email only with the users:read.email scope.",
  input: z.object({ user: userId.describe("User id, as in a message's user field.") }),
  output: userOutput,
  annotations: READ_ANNOTATIONS,
  rateLimit: { bucket: "users.info" },
  async execute(input, ctx) {
    const answer = await slackRequest(ctx, "users.info", { user: input.user }, usersInfoSchema);
    ctx.client.users.remember(answer.user);
    return toUser(answer.user);
  },
});
