import type { SlackChannelRecord, SlackMessageRecord, SlackUserRecord } from "./slack-model.js";
import { SLACK_TEAM_ID, SLACK_TEAM_URL } from "./slack-seed.js";
import type { SlackSandboxState } from "./slack-state.js";

/** The Web API's JSON shapes of users, conversations and messages (the fields the SDK's types name). */

const AVATAR_SIZES = [24, 32, 48, 72, 192, 512] as const;

function avatarHash(id: string): string {
  let hash = 0;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return `g${hash.toString(16).padStart(11, "0").slice(0, 11)}`;
}

export function userJson(
  user: SlackUserRecord,
  options: { readonly email: boolean },
): Record<string, unknown> {
  const [first = "", ...rest] = user.realName.split(" ");
  const images = Object.fromEntries(
    AVATAR_SIZES.map((size) => [`image_${size}`, `https://avatars.example.com/${user.id}_${size}.png`]),
  );
  const isSlackbot = user.id === "USLACKBOT";
  return {
    id: user.id,
    team_id: SLACK_TEAM_ID,
    name: user.name,
    deleted: user.deleted,
    color: user.color,
    real_name: user.realName,
    tz: user.tz,
    tz_label: user.tzLabel,
    tz_offset: user.tzOffset,
    profile: {
      title: user.title,
      phone: "",
      skype: "",
      real_name: user.realName,
      real_name_normalized: user.realName,
      display_name: user.displayName,
      display_name_normalized: user.displayName,
      fields: null,
      status_text: "",
      status_emoji: "",
      status_expiration: 0,
      avatar_hash: avatarHash(user.id),
      ...(options.email && user.email !== undefined ? { email: user.email } : {}),
      first_name: first,
      last_name: rest.join(" "),
      ...images,
      ...(user.botId !== undefined ? { bot_id: user.botId, api_app_id: "", always_active: true } : {}),
      team: SLACK_TEAM_ID,
    },
    is_admin: user.isAdmin,
    is_owner: user.isOwner,
    is_primary_owner: user.isPrimaryOwner,
    is_restricted: user.isRestricted,
    is_ultra_restricted: false,
    // Slack reports Slackbot as not a bot.
    is_bot: user.isBot && !isSlackbot,
    is_app_user: false,
    updated: user.updated,
    is_email_confirmed: user.email !== undefined,
    who_can_share_contact_card: "EVERYONE",
  };
}

export function channelJson(
  channel: SlackChannelRecord,
  options: { readonly isMember: boolean; readonly numMembers?: boolean },
): Record<string, unknown> {
  const textField = (value: string) => ({
    value,
    creator: value === "" ? "" : channel.creator,
    last_set: value === "" ? 0 : channel.created,
  });
  return {
    id: channel.id,
    name: channel.name,
    is_channel: true,
    is_group: false,
    is_im: false,
    is_mpim: false,
    is_private: channel.isPrivate,
    created: channel.created,
    is_archived: channel.isArchived,
    is_general: channel.isGeneral,
    unlinked: 0,
    name_normalized: channel.name,
    is_shared: false,
    is_org_shared: false,
    is_ext_shared: false,
    is_pending_ext_shared: false,
    pending_shared: [],
    context_team_id: SLACK_TEAM_ID,
    updated: channel.created * 1000,
    parent_conversation: null,
    creator: channel.creator,
    shared_team_ids: [SLACK_TEAM_ID],
    pending_connected_team_ids: [],
    is_member: options.isMember,
    topic: textField(channel.topic),
    purpose: textField(channel.purpose),
    previous_names: [],
    ...(options.numMembers === false ? {} : { num_members: channel.members.size }),
  };
}

export function permalink(message: SlackMessageRecord): string {
  const base = `${SLACK_TEAM_URL}archives/${message.channel}/p${message.ts.replace(".", "")}`;
  const isReply = message.threadTs !== undefined && message.threadTs !== message.ts;
  return isReply ? `${base}?thread_ts=${message.threadTs}&cid=${message.channel}` : base;
}

export function messageJson(message: SlackMessageRecord, state: SlackSandboxState): Record<string, unknown> {
  const json: Record<string, unknown> = { type: "message" };
  if (message.subtype !== undefined) json.subtype = message.subtype;
  json.user = message.user;
  json.text = message.text;
  json.ts = message.ts;
  json.team = SLACK_TEAM_ID;
  if (message.botId !== undefined) {
    const bot = state.user(message.user);
    json.bot_id = message.botId;
    json.app_id = message.appId;
    json.bot_profile = {
      id: message.botId,
      app_id: message.appId,
      name: bot?.name ?? "bot",
      icons: { image_36: "", image_48: "", image_72: "" },
      deleted: false,
      updated: bot?.updated ?? 0,
      team_id: SLACK_TEAM_ID,
    };
  }
  if (message.blocks !== undefined) json.blocks = message.blocks;
  if (message.attachments !== undefined) json.attachments = message.attachments;
  if (message.replies.length > 0) {
    const replyUsers = [...new Set(message.replies.map((reply) => reply.user))];
    json.thread_ts = message.ts;
    json.reply_count = message.replies.length;
    json.reply_users_count = replyUsers.length;
    json.latest_reply = message.replies.at(-1)?.ts;
    json.reply_users = replyUsers.slice(0, 5);
    json.is_locked = false;
    json.subscribed = false;
  } else if (message.threadTs !== undefined && message.threadTs !== message.ts) {
    json.thread_ts = message.threadTs;
    json.parent_user_id = state.message(message.channel, message.threadTs)?.user;
  }
  if (message.reactions.length > 0) {
    json.reactions = message.reactions.map((reaction) => ({
      name: reaction.name,
      users: [...reaction.users],
      count: reaction.users.length,
    }));
  }
  return json;
}
