import { z } from "zod";
import { assertNoBroadcastMentions } from "./slack-allowlist.js";
import { postMessageSchema } from "./slack-api.js";
import { assertWritableChannel, channelIdFor } from "./slack-channels.js";
import { type SlackContext, slackRequest } from "./slack-client.js";
import { slackTsToIso } from "./slack-mrkdwn.js";

export const postedOutput = z.object({
  channel: z.string().describe("Channel id."),
  ts: z.string().describe("The new message's ts (its id; pass it as threadTs to reply)."),
  time: z.string().describe("ts as ISO 8601."),
  threadTs: z.string().nullable(),
});

export interface PostRequest {
  readonly channel: string;
  readonly text: string;
  readonly threadTs?: string | undefined;
  readonly replyBroadcast?: boolean | undefined;
}

/**
 * chat.postMessage with the write rules, checked before anything is sent: no broadcast mentions unless allowed,
 * only allowlisted (or approved) channels, and no link or media previews unless the operator turned them on.
 */
export async function postMessage(
  ctx: SlackContext,
  request: PostRequest,
): Promise<z.infer<typeof postedOutput>> {
  const { writes } = ctx.client;
  assertNoBroadcastMentions(request.text, writes.allowBroadcastMentions);
  await assertWritableChannel(ctx, request.channel);
  const channel = await channelIdFor(ctx, request.channel);
  const answer = await slackRequest(
    ctx,
    "chat.postMessage",
    {
      channel,
      text: request.text,
      thread_ts: request.threadTs,
      reply_broadcast: request.threadTs && request.replyBroadcast ? true : undefined,
      unfurl_links: writes.unfurlLinks,
      unfurl_media: writes.unfurlMedia,
    },
    postMessageSchema,
  );
  return {
    channel: answer.channel,
    ts: answer.ts,
    time: slackTsToIso(answer.ts),
    threadTs: request.threadTs ?? null,
  };
}
