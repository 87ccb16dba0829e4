import { z } from "zod";

/**
 * Input refinements. Every identifier is checked against Slack's own formats before any request, so a model
 * cannot pass a URL, a token or a second parameter where a channel id belongs.
 */

/** Conversation ids: C (public), G (private / legacy group), D (direct message), then upper-case alphanumerics. */
const CHANNEL_ID = /^[CGD][A-Z0-9]{6,20}$/;
/** Channel names: lower-case letters, digits, `-`, `_`, `.`; at most 80 characters. */
const CHANNEL_NAME = /^[a-z0-9][a-z0-9._-]{0,79}$/;

export function isChannelId(value: string): boolean {
  return CHANNEL_ID.test(value);
}

/**
 * A channel as a tool takes it: an id (`C0123ABCD`) or a name with or without `#`. Normalised to the id as
 * given, or the name in lower case without `#`.
 */
export const channelRef = z
  .string()
  .trim()
  .min(1)
  .max(81)
  .transform((value) => (CHANNEL_ID.test(value) ? value : value.replace(/^#/, "").toLowerCase()))
  .refine(
    (value) => CHANNEL_ID.test(value) || CHANNEL_NAME.test(value),
    "not a Slack channel id (C0123ABCD) or channel name (#general)",
  );

/** How a channel is shown to people and approvers: `#name`, or the id. */
export function channelLabel(channel: string): string {
  return isChannelId(channel) ? channel : `#${channel}`;
}

/** Slack message timestamps: seconds, a dot, microseconds (`1700000000.123456`); they are message ids. */
const TS = /^\d{1,10}\.\d{1,6}$/;
export const messageTs = z.string().trim().regex(TS, "not a Slack message timestamp like 1700000000.123456");

/** Time bounds: an ISO 8601 time (`2026-03-01T09:00:00Z`) or a Slack timestamp; sent to Slack as a timestamp. */
export const timeBound = z
  .string()
  .trim()
  .refine(
    (value) =>
      TS.test(value) || /^\d{1,10}$/.test(value) || z.iso.datetime({ offset: true }).safeParse(value).success,
    "not an ISO 8601 time (2026-03-01T09:00:00Z) or a Slack timestamp (1700000000.123456)",
  )
  .transform(toSlackTs);

export function toSlackTs(value: string): string {
  if (TS.test(value)) return value;
  if (/^\d{1,10}$/.test(value)) return `${value}.000000`;
  const ms = Date.parse(value);
  const seconds = Math.floor(ms / 1000);
  const micros = String((ms % 1000) * 1000).padStart(6, "0");
  return `${seconds}.${micros}`;
}

/** User ids: U (regular), W (Enterprise Grid). */
export const userId = z
  .string()
  .trim()
  .regex(/^[UW][A-Z0-9]{6,20}$/, "not a Slack user id like U0123ABCD");

export const email = z.email().max(254);

/** An emoji name, with or without colons, optionally with a skin tone (`thumbsup::skin-tone-2`). */
export const reactionName = z
  .string()
  .trim()
  .transform((value) => value.replace(/^:/, "").replace(/:$/, ""))
  .refine(
    (value) => /^[a-z0-9_+'-]{1,100}(::skin-tone-[2-6])?$/.test(value),
    "not an emoji name such as thumbsup or :white_check_mark:",
  );

/** Slack refuses message text over 40,000 characters (`msg_too_long`); 4,000 is its recommendation. */
export const MAX_MESSAGE_CHARS = 40_000;
export const messageText = z.string().min(1).max(MAX_MESSAGE_CHARS);

/** Slack's search query syntax (`in:#ops from:@ana deploy`); the length keeps a query a query. */
export const searchQuery = z.string().trim().min(1).max(1000);
