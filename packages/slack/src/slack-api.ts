import { z } from "zod";

/**
 * Wire schemas for the Slack Web API answers the tools read. Only the fields the tools use are declared, and
 * undeclared fields are dropped, never refused, so Slack adding fields never breaks a call; a field changing
 * type does, as `invalid_response`, instead of a silently wrong answer. Slack's OpenAPI description dates from
 * 2020, so these follow the method reference pages and the SDK's response types.
 *
 * Objects strip rather than pass through (`z.object`, not `z.looseObject`): nothing reads an undeclared field,
 * and a page of 100 channels carries about 30 fields each, which zod would otherwise copy one by one through
 * the catch-all (0.32 ms against 0.06 ms for such a page).
 */

const responseMetadata = z
  .looseObject({
    next_cursor: z.string().optional(),
    scopes: z.array(z.string()).optional(),
    acceptedScopes: z.array(z.string()).optional(),
    messages: z.array(z.string()).optional(),
    warnings: z.array(z.string()).optional(),
  })
  .optional();

/** Every answer: `ok`, and the cursor for the next page when there is one. */
export const okSchema = z.object({
  ok: z.literal(true),
  response_metadata: responseMetadata,
  warning: z.string().optional(),
});

/** The body of an `ok: false` answer (HTTP 200). `needed`/`provided` come with `missing_scope`. */
export const errorBodySchema = z.object({
  ok: z.literal(false),
  error: z.string(),
  needed: z.string().optional(),
  provided: z.string().optional(),
  response_metadata: responseMetadata,
});

const topicSchema = z.object({ value: z.string().optional() }).nullable().optional();

export const channelSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  is_channel: z.boolean().optional(),
  is_group: z.boolean().optional(),
  is_im: z.boolean().optional(),
  is_mpim: z.boolean().optional(),
  is_private: z.boolean().optional(),
  is_archived: z.boolean().optional(),
  is_member: z.boolean().optional(),
  is_general: z.boolean().optional(),
  num_members: z.number().int().optional(),
  created: z.number().optional(),
  topic: topicSchema,
  purpose: topicSchema,
});
export type WireChannel = z.infer<typeof channelSchema>;

export const conversationsListSchema = okSchema.extend({ channels: z.array(channelSchema) });
export const conversationsInfoSchema = okSchema.extend({ channel: channelSchema });

const reactionSchema = z.object({
  name: z.string(),
  count: z.number().int().optional(),
  users: z.array(z.string()).optional(),
});

const attachmentSchema = z.object({
  fallback: z.string().optional(),
  text: z.string().optional(),
  pretext: z.string().optional(),
  title: z.string().optional(),
});

export const messageSchema = z.object({
  type: z.string().optional(),
  subtype: z.string().optional(),
  ts: z.string(),
  user: z.string().optional(),
  bot_id: z.string().optional(),
  username: z.string().optional(),
  bot_profile: z.object({ name: z.string().optional() }).optional(),
  text: z.string().optional(),
  thread_ts: z.string().optional(),
  reply_count: z.number().int().optional(),
  latest_reply: z.string().optional(),
  reactions: z.array(reactionSchema).optional(),
  attachments: z.array(attachmentSchema).optional(),
  files: z.array(z.object({ name: z.string().optional() })).optional(),
  edited: z.object({ ts: z.string().optional() }).optional(),
});
export type WireMessage = z.infer<typeof messageSchema>;

export const conversationsHistorySchema = okSchema.extend({
  messages: z.array(messageSchema),
  has_more: z.boolean().optional(),
});
export const conversationsRepliesSchema = conversationsHistorySchema;

export const searchMatchSchema = messageSchema.extend({
  channel: z.object({ id: z.string(), name: z.string().optional() }).optional(),
  permalink: z.string().optional(),
});
export type WireSearchMatch = z.infer<typeof searchMatchSchema>;

export const searchMessagesSchema = okSchema.extend({
  messages: z.object({
    total: z.number().int().optional(),
    matches: z.array(searchMatchSchema).optional().default([]),
  }),
});

const profileSchema = z
  .looseObject({
    display_name: z.string().optional(),
    real_name: z.string().optional(),
    title: z.string().optional(),
    email: z.string().optional(),
  })
  .optional();

export const userSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  real_name: z.string().optional(),
  deleted: z.boolean().optional(),
  is_bot: z.boolean().optional(),
  is_app_user: z.boolean().optional(),
  is_admin: z.boolean().optional(),
  is_owner: z.boolean().optional(),
  is_restricted: z.boolean().optional(),
  is_ultra_restricted: z.boolean().optional(),
  tz: z.string().nullable().optional(),
  profile: profileSchema,
});
export type WireUser = z.infer<typeof userSchema>;

export const usersInfoSchema = okSchema.extend({ user: userSchema });
export const usersListSchema = okSchema.extend({ members: z.array(userSchema) });

export const postMessageSchema = okSchema.extend({
  channel: z.string(),
  ts: z.string(),
  message: messageSchema.partial({ ts: true }).optional(),
});

export const authTestSchema = okSchema.extend({
  url: z.string().optional(),
  team: z.string().optional(),
  user: z.string().optional(),
  team_id: z.string().optional(),
  user_id: z.string().optional(),
  bot_id: z.string().optional(),
  is_enterprise_install: z.boolean().optional(),
});

/**
 * `oauth.v2.access` with `grant_type=refresh_token`. The refreshed token's fields are at the top level; some
 * answers for user tokens carry them in `authed_user` instead, so both places are read.
 */
const grantedTokenFields = {
  access_token: z.string().optional(),
  refresh_token: z.string().optional(),
  expires_in: z.number().optional(),
  token_type: z.string().optional(),
};
export const oauthRefreshSchema = okSchema.extend({
  ...grantedTokenFields,
  team: z.object({ id: z.string().optional() }).nullable().optional(),
  authed_user: z.object(grantedTokenFields).optional(),
});
