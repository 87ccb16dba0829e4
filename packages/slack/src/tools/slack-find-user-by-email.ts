import { READ_ANNOTATIONS } from "@switchyard/core";
import { z } from "zod";
import { usersInfoSchema } from "../slack-api.js";
import { slackRequest } from "../slack-client.js";
import { toUser, userOutput } from "../slack-output.js";
import { defineSlackTool } from "../slack-tool.js";
import { email } from "../slack-validation.js";

export const slackFindUserByEmail = defineSlackTool({
  name: "slack_find_user_by_email",
  title: "Find a user by email",
  description:
    "Find the workspace member with this email address (needs the users:read.email scope). not_found when nobody has it.",
  input: z.object({ email: email.describe("Email address.") }),
  output: userOutput,
  annotations: READ_ANNOTATIONS,
  rateLimit: { bucket: "users.lookupByEmail" },
  async execute(input, ctx) {
    const answer = await slackRequest(ctx, "users.lookupByEmail", { email: input.email }, usersInfoSchema);
    ctx.client.users.remember(answer.user);
    return toUser(answer.user);
  },
});
