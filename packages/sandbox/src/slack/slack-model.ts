/** The fake Slack workspace's records, as the state keeps them (the wire shapes are in slack-serialize.ts). */

export type SlackTokenKind = "bot" | "user";

export interface SlackUserRecord {
  readonly id: string;
  /** The handle (`name` on the wire). */
  readonly name: string;
  readonly realName: string;
  readonly displayName: string;
  /** Bots and Slackbot have none. */
  readonly email: string | undefined;
  readonly title: string;
  readonly tz: string;
  readonly tzLabel: string;
  readonly tzOffset: number;
  readonly color: string;
  readonly isAdmin: boolean;
  readonly isOwner: boolean;
  readonly isPrimaryOwner: boolean;
  readonly isRestricted: boolean;
  readonly isBot: boolean;
  readonly deleted: boolean;
  /** Bot users: the bot id (`B…`) their messages carry. */
  readonly botId: string | undefined;
  readonly updated: number;
}

export interface SlackReaction {
  readonly name: string;
  /** User ids in the order they reacted. */
  readonly users: string[];
}

export interface SlackMessageRecord {
  /** `1767603600.000100`: seconds, a dot, six digits; unique within the channel. */
  readonly ts: string;
  /** The same instant in microseconds, for ordering and ranges. */
  readonly micros: number;
  readonly channel: string;
  readonly user: string;
  /** Stored verbatim: `<@U…>`, `<#C…|name>`, `<!here>` and `<https://…|label>` are not rewritten. */
  readonly text: string;
  /** Replies: the parent's ts. Parents: their own ts once the first reply arrives. */
  threadTs: string | undefined;
  /** A thread parent's replies, oldest first. */
  readonly replies: SlackMessageRecord[];
  readonly reactions: SlackReaction[];
  /** `thread_broadcast` for a reply also sent to the channel. */
  readonly subtype: string | undefined;
  /** Messages posted with a bot token. */
  readonly botId: string | undefined;
  readonly appId: string | undefined;
  /** `blocks` and `attachments` exactly as posted (parsed JSON). */
  readonly blocks: unknown;
  readonly attachments: unknown;
}

export interface SlackChannelRecord {
  readonly id: string;
  name: string;
  readonly isPrivate: boolean;
  isArchived: boolean;
  readonly isGeneral: boolean;
  readonly created: number;
  readonly creator: string;
  readonly topic: string;
  readonly purpose: string;
  readonly members: Set<string>;
  /** Top-level messages and thread broadcasts, oldest first (history reads it backwards). */
  readonly timeline: SlackMessageRecord[];
  /** Every message of the channel by ts, replies included. */
  readonly byTs: Map<string, SlackMessageRecord>;
}

export interface SlackTokenRecord {
  readonly token: string;
  readonly kind: SlackTokenKind;
  /** The user the token acts as: the bot user for bot tokens. */
  readonly userId: string;
  readonly scopes: readonly string[];
  /** Epoch ms; rotated tokens only. */
  readonly expiresAt: number | undefined;
  revoked: boolean;
}

export interface SlackRefreshTokenRecord {
  readonly token: string;
  readonly kind: SlackTokenKind;
  readonly userId: string;
  readonly scopes: readonly string[];
  /** Set when it has been exchanged: a refresh token works once. */
  used: boolean;
}

/** Who a request acts as. */
export interface SlackPrincipal {
  readonly token: SlackTokenRecord;
  readonly user: SlackUserRecord;
}

export const isBotPrincipal = (principal: SlackPrincipal) => principal.token.kind === "bot";
