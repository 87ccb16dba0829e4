import type { AnyToolDefinition } from "@switchyard/core";
import { slackAddReaction } from "./slack-add-reaction.js";
import { slackFindUserByEmail } from "./slack-find-user-by-email.js";
import { slackGetChannelHistory } from "./slack-get-channel-history.js";
import { slackGetThreadReplies } from "./slack-get-thread-replies.js";
import { slackGetUser } from "./slack-get-user.js";
import { slackListChannels } from "./slack-list-channels.js";
import { slackListUsers } from "./slack-list-users.js";
import { slackPostMessage } from "./slack-post-message.js";
import { slackReplyInThread } from "./slack-reply-in-thread.js";
import { slackSearchMessages } from "./slack-search-messages.js";

export {
  slackAddReaction,
  slackFindUserByEmail,
  slackGetChannelHistory,
  slackGetThreadReplies,
  slackGetUser,
  slackListChannels,
  slackListUsers,
  slackPostMessage,
  slackReplyInThread,
  slackSearchMessages,
};

/** Every Slack tool; core enables the write tools only when writes are allowed. */
export const slackTools: readonly AnyToolDefinition[] = [
  slackListChannels,
  slackGetChannelHistory,
  slackGetThreadReplies,
  slackSearchMessages,
  slackGetUser,
  slackFindUserByEmail,
  slackListUsers,
  slackPostMessage,
  slackReplyInThread,
  slackAddReaction,
];
