import { type Random, seededRandom } from "../shared/seeded-random.js";
import { SlackApiError } from "./slack-http.js";
import type {
  SlackChannelRecord,
  SlackMessageRecord,
  SlackPrincipal,
  SlackRefreshTokenRecord,
  SlackTokenKind,
  SlackTokenRecord,
  SlackUserRecord,
} from "./slack-model.js";
import { type SlackAppProfile, type SlackRateLimitSettings, SlackRateLimits } from "./slack-rate-limit.js";
import {
  SLACK_APP_ID,
  SLACK_BOT_ID,
  SLACK_BOT_USER_ID,
  SLACK_GENERAL_CHANNEL_ID,
  SLACK_INSTALLER_USER_ID,
  SLACK_TEAM_ID,
  seedSlack,
} from "./slack-seed.js";
import {
  SLACK_BOT_SCOPES,
  SLACK_LIMITED_SCOPES,
  SLACK_ROTATED_TOKEN_TTL_SECONDS,
  SLACK_SANDBOX_BOT_TOKEN,
  SLACK_SANDBOX_CLIENT_ID,
  SLACK_SANDBOX_CLIENT_SECRET,
  SLACK_SANDBOX_LIMITED_BOT_TOKEN,
  SLACK_SANDBOX_REFRESH_TOKEN,
  SLACK_SANDBOX_REVOKED_BOT_TOKEN,
  SLACK_SANDBOX_USER_REFRESH_TOKEN,
  SLACK_SANDBOX_USER_TOKEN,
  SLACK_USER_SCOPES,
} from "./slack-tokens.js";
import { formatTs, msToMicros } from "./slack-ts.js";

/** An extra token for `tokens: { "xoxb-my-token": { kind: "bot" } }`. */
export interface SlackTokenSpec {
  readonly kind: SlackTokenKind;
  /** The user it acts as; default the bot user (bot) or Sam Sandbox (user). */
  readonly user?: string;
  /** Default: the seeded bot or user token's scopes. */
  readonly scopes?: readonly string[];
  /** Epoch ms after which it answers `token_expired`. */
  readonly expiresAt?: number;
  readonly revoked?: boolean;
}

export interface SlackStateOptions {
  /** Seed of the starting data; default 1. */
  readonly seed?: number;
  /** Clock (epoch ms) for posted messages, token expiry and rate-limit windows; default Date.now. */
  readonly now?: () => number;
  /** Budgets per method tier (default on); `false` switches them off. */
  readonly rateLimits?: boolean | SlackRateLimitSettings;
  /** `non_marketplace`: conversations.history/replies at 1 request per minute and at most 15 items. */
  readonly appProfile?: SlackAppProfile;
  /** Lifetime of access tokens from oauth.v2.access; default 43200 s (12 h). */
  readonly rotatedTokenTtlSeconds?: number;
  /** Extra tokens (checked alongside the seeded ones). */
  readonly tokens?: Readonly<Record<string, SlackTokenSpec>>;
}

export interface NewMessage {
  readonly text: string;
  readonly threadTs?: string | undefined;
  readonly broadcast?: boolean;
  readonly blocks?: unknown;
  readonly attachments?: unknown;
}

/** The app's OAuth client and the refresh tokens currently valid. */
export interface SlackRotationCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  /** The bot token's refresh token that works now (the seeded one until it is exchanged). */
  readonly refreshToken: string | undefined;
  readonly userRefreshToken: string | undefined;
}

export interface RotatedTokens {
  readonly access: SlackTokenRecord;
  readonly refresh: SlackRefreshTokenRecord;
}

const TOKEN_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/**
 * The fake Slack workspace's data and the operations on it, in memory, seeded deterministically and changed
 * by the write methods: posted messages and replies show up in history, replies and search; reactions on
 * their messages.
 */
export class SlackSandboxState {
  readonly seed: number;
  readonly now: () => number;
  readonly rateLimits: SlackRateLimits;
  readonly rotatedTokenTtlSeconds: number;
  readonly #extraTokens: Readonly<Record<string, SlackTokenSpec>>;
  #users = new Map<string, SlackUserRecord>();
  #channels = new Map<string, SlackChannelRecord>();
  #tokens = new Map<string, SlackTokenRecord>();
  #refreshTokens = new Map<string, SlackRefreshTokenRecord>();
  #tokenRandom: Random;
  #rotations = 0;

  constructor(options: SlackStateOptions = {}) {
    this.seed = options.seed ?? 1;
    this.now = options.now ?? Date.now;
    this.rateLimits = new SlackRateLimits(options.rateLimits, options.appProfile ?? "internal", this.now);
    this.rotatedTokenTtlSeconds = options.rotatedTokenTtlSeconds ?? SLACK_ROTATED_TOKEN_TTL_SECONDS;
    this.#extraTokens = options.tokens ?? {};
    this.#tokenRandom = seededRandom(this.seed + 101);
    this.reset();
  }

  /** Back to the seeded workspace and credentials; rate-limit counts are forgotten. */
  reset(): void {
    const { users, channels } = seedSlack(this.seed);
    this.#users = new Map(users.map((user) => [user.id, user]));
    this.#channels = new Map(channels.map((channel) => [channel.id, channel]));
    this.#tokens = new Map();
    this.#refreshTokens = new Map();
    this.#tokenRandom = seededRandom(this.seed + 101);
    this.#rotations = 0;
    this.rateLimits.reset();
    const add = (token: string, spec: SlackTokenSpec) => {
      this.#tokens.set(token, {
        token,
        kind: spec.kind,
        userId: spec.user ?? (spec.kind === "bot" ? SLACK_BOT_USER_ID : SLACK_INSTALLER_USER_ID),
        scopes: [...(spec.scopes ?? (spec.kind === "bot" ? SLACK_BOT_SCOPES : SLACK_USER_SCOPES))],
        expiresAt: spec.expiresAt,
        revoked: spec.revoked ?? false,
      });
    };
    add(SLACK_SANDBOX_BOT_TOKEN, { kind: "bot" });
    add(SLACK_SANDBOX_USER_TOKEN, { kind: "user" });
    add(SLACK_SANDBOX_LIMITED_BOT_TOKEN, { kind: "bot", scopes: SLACK_LIMITED_SCOPES });
    add(SLACK_SANDBOX_REVOKED_BOT_TOKEN, { kind: "bot", revoked: true });
    for (const [token, spec] of Object.entries(this.#extraTokens)) add(token, spec);
    for (const [token, kind] of [
      [SLACK_SANDBOX_REFRESH_TOKEN, "bot"],
      [SLACK_SANDBOX_USER_REFRESH_TOKEN, "user"],
    ] as const) {
      this.#refreshTokens.set(token, {
        token,
        kind,
        userId: kind === "bot" ? SLACK_BOT_USER_ID : SLACK_INSTALLER_USER_ID,
        scopes: kind === "bot" ? SLACK_BOT_SCOPES : SLACK_USER_SCOPES,
        used: false,
      });
    }
  }

  // Lookups

  user(id: string): SlackUserRecord | undefined {
    return this.#users.get(id);
  }

  /** Every user, ordered by id. */
  users(): SlackUserRecord[] {
    return [...this.#users.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  userByEmail(email: string): SlackUserRecord | undefined {
    const wanted = email.trim().toLowerCase();
    return [...this.#users.values()].find((user) => user.email?.toLowerCase() === wanted);
  }

  channel(id: string): SlackChannelRecord | undefined {
    return this.#channels.get(id);
  }

  /** `general` or `#general`. */
  channelByName(name: string): SlackChannelRecord | undefined {
    const wanted = name.replace(/^#/, "");
    return [...this.#channels.values()].find((channel) => channel.name === wanted);
  }

  /** Every channel, ordered by id (the order conversations.list pages in). */
  channels(): SlackChannelRecord[] {
    return [...this.#channels.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  general(): SlackChannelRecord {
    return this.#channels.get(SLACK_GENERAL_CHANNEL_ID) as SlackChannelRecord;
  }

  /** A message (or reply) of a channel by ts. */
  message(channelId: string, ts: string): SlackMessageRecord | undefined {
    return this.#channels.get(channelId)?.byTs.get(ts);
  }

  // Tokens

  /** The principal a token acts as, or the error Slack gives for it. */
  authenticate(token: string | undefined): SlackPrincipal {
    if (token === undefined) throw new SlackApiError("not_authed");
    const record = this.#tokens.get(token);
    if (!record) throw new SlackApiError("invalid_auth");
    if (record.revoked) throw new SlackApiError("token_revoked");
    if (record.expiresAt !== undefined && this.now() >= record.expiresAt)
      throw new SlackApiError("token_expired");
    const user = this.#users.get(record.userId);
    if (!user) throw new SlackApiError("invalid_auth");
    if (user.deleted) throw new SlackApiError("account_inactive");
    return { token: record, user };
  }

  token(token: string): SlackTokenRecord | undefined {
    return this.#tokens.get(token);
  }

  /** auth.revoke: the token answers `token_revoked` from now on. */
  revoke(token: string): boolean {
    const record = this.#tokens.get(token);
    if (!record || record.revoked) return false;
    record.revoked = true;
    return true;
  }

  rotationCredentials(): SlackRotationCredentials {
    const current = (kind: SlackTokenKind) =>
      [...this.#refreshTokens.values()].filter((record) => record.kind === kind && !record.used).at(-1)
        ?.token;
    return {
      clientId: SLACK_SANDBOX_CLIENT_ID,
      clientSecret: SLACK_SANDBOX_CLIENT_SECRET,
      refreshToken: current("bot"),
      userRefreshToken: current("user"),
    };
  }

  #randomText(length: number): string {
    let text = "";
    for (let index = 0; index < length; index += 1) {
      text += TOKEN_ALPHABET[Math.floor(this.#tokenRandom() * TOKEN_ALPHABET.length)];
    }
    return text;
  }

  /**
   * Exchanges a refresh token (once: it is spent afterwards) for a new access token that expires after
   * `rotatedTokenTtlSeconds` and a new refresh token. Earlier access tokens keep working until they expire.
   */
  rotate(refreshToken: string): RotatedTokens {
    const record = this.#refreshTokens.get(refreshToken);
    if (!record || record.used) throw new SlackApiError("invalid_refresh_token");
    record.used = true;
    this.#rotations += 1;
    const serial = String(this.#rotations).padStart(4, "0");
    const prefix = record.kind === "bot" ? "xoxe.xoxb" : "xoxe.xoxp";
    const access: SlackTokenRecord = {
      token: `${prefix}-1-${serial}${this.#randomText(44)}`,
      kind: record.kind,
      userId: record.userId,
      scopes: record.scopes,
      expiresAt: this.now() + this.rotatedTokenTtlSeconds * 1000,
      revoked: false,
    };
    const refresh: SlackRefreshTokenRecord = {
      token: `xoxe-1-${serial}${this.#randomText(40)}`,
      kind: record.kind,
      userId: record.userId,
      scopes: record.scopes,
      used: false,
    };
    this.#tokens.set(access.token, access);
    this.#refreshTokens.set(refresh.token, refresh);
    return { access, refresh };
  }

  // Access

  isMember(principal: SlackPrincipal, channel: SlackChannelRecord): boolean {
    return channel.members.has(principal.user.id);
  }

  /** Public channels are visible to every token; private ones to their members only. */
  canSee(principal: SlackPrincipal, channel: SlackChannelRecord): boolean {
    return !channel.isPrivate || this.isMember(principal, channel);
  }

  // Writes

  /** A ts after every message of the channel and no earlier than the clock. */
  #nextTs(channel: SlackChannelRecord): number {
    let latest = 0;
    for (const record of channel.byTs.values()) latest = Math.max(latest, record.micros);
    return Math.max(msToMicros(this.now()), latest + 1);
  }

  /** Posts a message, or a reply when `threadTs` names a message of the channel (a reply's ts means its parent). */
  post(principal: SlackPrincipal, channel: SlackChannelRecord, message: NewMessage): SlackMessageRecord {
    let parent: SlackMessageRecord | undefined;
    if (message.threadTs !== undefined) {
      const target = channel.byTs.get(message.threadTs);
      if (!target) throw new SlackApiError("thread_not_found");
      parent =
        target.threadTs !== undefined && target.threadTs !== target.ts
          ? channel.byTs.get(target.threadTs)
          : target;
      if (!parent) throw new SlackApiError("thread_not_found");
    }
    const micros = this.#nextTs(channel);
    const isBot = principal.token.kind === "bot";
    const record: SlackMessageRecord = {
      ts: formatTs(micros),
      micros,
      channel: channel.id,
      user: principal.user.id,
      text: message.text,
      threadTs: parent?.ts,
      replies: [],
      reactions: [],
      subtype: parent && message.broadcast ? "thread_broadcast" : undefined,
      botId: isBot ? (principal.user.botId ?? SLACK_BOT_ID) : undefined,
      appId: isBot ? SLACK_APP_ID : undefined,
      blocks: message.blocks,
      attachments: message.attachments,
    };
    channel.byTs.set(record.ts, record);
    if (parent) {
      parent.threadTs = parent.ts;
      parent.replies.push(record);
      if (message.broadcast) channel.timeline.push(record);
    } else {
      channel.timeline.push(record);
    }
    return record;
  }

  /** Adds `name` from the principal's user; `already_reacted` when that user has. */
  react(principal: SlackPrincipal, message: SlackMessageRecord, name: string): void {
    const existing = message.reactions.find((reaction) => reaction.name === name);
    if (existing?.users.includes(principal.user.id)) throw new SlackApiError("already_reacted");
    if (existing) {
      existing.users.push(principal.user.id);
      return;
    }
    if (message.reactions.length >= 23) throw new SlackApiError("too_many_emoji");
    message.reactions.push({ name, users: [principal.user.id] });
  }

  /** A small picture for `GET /__sandbox/state`. */
  summary(): Record<string, unknown> {
    const channels = [...this.#channels.values()];
    let messages = 0;
    for (const channel of channels) messages += channel.byTs.size;
    return {
      team: SLACK_TEAM_ID,
      users: this.#users.size,
      channels: channels.length,
      privateChannels: channels.filter((channel) => channel.isPrivate).length,
      archivedChannels: channels.filter((channel) => channel.isArchived).length,
      messages,
      generalMessages: this.general().timeline.length,
      rotations: this.#rotations,
      rateLimits: { enabled: this.rateLimits.enabled, appProfile: this.rateLimits.profile },
    };
  }
}
