import { markUntrusted, sanitizeUntrustedText } from "@switchyard/core";
import { z } from "zod";
import type { WireChannel, WireMessage, WireSearchMatch, WireUser } from "./slack-api.js";
import { type RenderNames, renderSlackText, slackTsToIso } from "./slack-mrkdwn.js";

/**
 * Compact output shapes and the mappers that fill them. Anyone in the workspace (and in Slack Connect channels,
 * anyone in another company) can write messages, so message text is rendered, sanitised, capped and wrapped as
 * untrusted content. Short free text (names, topics, titles) is sanitised only.
 */

/** Long enough for a real message, short enough that a page of them fits the output budget. */
export const MESSAGE_CHAR_CAP = 4000;

/** Cuts text at `cap` characters (never inside a surrogate pair) and says how much was cut. */
export function capText(text: string, cap: number): string {
  if (text.length <= cap) return text;
  let end = cap;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}… [truncated ${text.length - end} characters]`;
}

/** Renders Slack markup, sanitises, caps and wraps; null for messages without text. */
export function untrustedMessageText(text: string, names: RenderNames): string | null {
  const rendered = sanitizeUntrustedText(renderSlackText(text, names));
  if (rendered.trim() === "") return null;
  return markUntrusted(capText(rendered, MESSAGE_CHAR_CAP));
}

const clean = (text: string | undefined | null) =>
  text === undefined || text === null || text === "" ? null : sanitizeUntrustedText(text);

/** The name people see: display name, else real name, else the handle. */
export function displayNameOf(user: WireUser): string {
  const candidates = [user.profile?.display_name, user.profile?.real_name, user.real_name, user.name];
  const name = candidates.find((candidate) => candidate !== undefined && candidate.trim() !== "");
  return sanitizeUntrustedText(name ?? user.id);
}

export const messageOutput = z.object({
  ts: z.string().describe("Slack timestamp: the message's id within its channel."),
  time: z.string().describe("ts as ISO 8601."),
  user: z.string().nullable().describe("Author's user id (null for some bot and system messages)."),
  userName: z.string().nullable().describe("Author's display name, when it could be resolved."),
  text: z
    .string()
    .nullable()
    .describe("Untrusted text with mentions and links rendered, sanitised, capped, in <untrusted-content>."),
  subtype: z.string().nullable().describe("bot_message, channel_join, ...; null for ordinary messages."),
  threadTs: z
    .string()
    .nullable()
    .describe("ts of the thread's first message when the message is in a thread."),
  replyCount: z.number().int().nullable().describe("Replies, on a thread's first message."),
  reactions: z.array(z.object({ name: z.string(), count: z.number().int() })),
  files: z.number().int().describe("Files attached (names not included)."),
  edited: z.boolean(),
});
export type MessageOutput = z.infer<typeof messageOutput>;

/** The text a message shows: its own, else its attachments' (bots often post only attachments). */
function messageText(message: WireMessage): string {
  if (message.text && message.text.trim() !== "") return message.text;
  return (message.attachments ?? [])
    .map((attachment) =>
      [attachment.pretext, attachment.title, attachment.text ?? attachment.fallback]
        .filter(Boolean)
        .join("\n"),
    )
    .filter((part) => part !== "")
    .join("\n");
}

export function toMessage(message: WireMessage, names: RenderNames): MessageOutput {
  const author = message.user ? names.userName(message.user) : undefined;
  return {
    ts: message.ts,
    time: slackTsToIso(message.ts),
    user: message.user ?? null,
    userName: author ?? clean(message.username ?? message.bot_profile?.name),
    text: untrustedMessageText(messageText(message), names),
    subtype: message.subtype ?? null,
    threadTs: message.thread_ts ?? null,
    replyCount: message.reply_count ?? null,
    reactions: (message.reactions ?? []).map((reaction) => ({
      name: reaction.name,
      count: reaction.count ?? reaction.users?.length ?? 1,
    })),
    files: message.files?.length ?? 0,
    edited: message.edited !== undefined,
  };
}

export const searchMatchOutput = messageOutput.extend({
  channel: z.object({ id: z.string().nullable(), name: z.string().nullable() }),
  permalink: z.string().nullable(),
});

export function toSearchMatch(match: WireSearchMatch, names: RenderNames): z.infer<typeof searchMatchOutput> {
  return {
    ...toMessage(match, names),
    channel: { id: match.channel?.id ?? null, name: clean(match.channel?.name) },
    permalink: match.permalink ?? null,
  };
}

export const channelOutput = z.object({
  id: z.string(),
  name: z.string().nullable(),
  isPrivate: z.boolean(),
  isArchived: z.boolean(),
  isMember: z.boolean().describe("Whether this app (or user) is in the channel; reading history needs it."),
  memberCount: z.number().int().nullable(),
  topic: z.string().nullable(),
  purpose: z.string().nullable(),
  created: z.string().nullable().describe("ISO 8601."),
});

export function toChannel(channel: WireChannel): z.infer<typeof channelOutput> {
  return {
    id: channel.id,
    name: clean(channel.name),
    isPrivate: channel.is_private ?? channel.is_group ?? false,
    isArchived: channel.is_archived ?? false,
    isMember: channel.is_member ?? false,
    memberCount: channel.num_members ?? null,
    topic: clean(channel.topic?.value),
    purpose: clean(channel.purpose?.value),
    created: channel.created === undefined ? null : new Date(channel.created * 1000).toISOString(),
  };
}

export const userOutput = z.object({
  id: z.string(),
  handle: z.string().nullable().describe("The legacy username."),
  displayName: z.string(),
  realName: z.string().nullable(),
  title: z.string().nullable(),
  email: z.string().nullable().describe("Only with the users:read.email scope."),
  timeZone: z.string().nullable(),
  isBot: z.boolean(),
  isAdmin: z.boolean(),
  isGuest: z.boolean(),
  deleted: z.boolean(),
});

export function toUser(user: WireUser): z.infer<typeof userOutput> {
  return {
    id: user.id,
    handle: clean(user.name),
    displayName: displayNameOf(user),
    realName: clean(user.profile?.real_name ?? user.real_name),
    title: clean(user.profile?.title),
    email: user.profile?.email ?? null,
    timeZone: user.tz ?? null,
    isBot: user.is_bot === true || user.is_app_user === true,
    isAdmin: user.is_admin === true || user.is_owner === true,
    isGuest: user.is_restricted === true || user.is_ultra_restricted === true,
    deleted: user.deleted === true,
  };
}
