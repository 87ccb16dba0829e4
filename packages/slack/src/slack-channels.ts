import { ConnectorError, nextFromCursorToken } from "@switchyard/core";
import { channelNotListed } from "./slack-allowlist.js";
import { conversationsInfoSchema, conversationsListSchema, type WireChannel } from "./slack-api.js";
import { type SlackContext, slackRequest } from "./slack-client.js";
import { channelLabel, isChannelId } from "./slack-validation.js";

export interface SlackChannelDirectoryOptions {
  /** How long a name <-> id pair is kept. Default 15 minutes. */
  readonly ttlMs?: number | undefined;
  readonly now?: () => number;
}

const DEFAULT_TTL_MS = 15 * 60 * 1000;
const MAX_ENTRIES = 20_000;
/** A name lookup reads conversations.list (Tier 2) at most this many pages of 1000 channels. */
export const MAX_NAME_SCAN_PAGES = 5;

/**
 * Channel ids by name and names by id, for every credential of one connector. Filled from every
 * conversations.list and conversations.info answer; entries expire, so renamed channels are picked up.
 */
interface ChannelEntry {
  readonly id: string;
  readonly name: string;
  readonly expiresAt: number;
}

export class SlackChannelDirectory {
  /** Both maps hold the same entry objects, in the order they were last remembered (oldest first). */
  private readonly byId = new Map<string, ChannelEntry>();
  private readonly byName = new Map<string, ChannelEntry>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: SlackChannelDirectoryOptions = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    this.now = options.now ?? Date.now;
  }

  remember(channel: WireChannel): void {
    this.rememberAll([channel]);
  }

  /** Remembers a page of channels at once (one clock read, one trim). */
  rememberAll(channels: readonly WireChannel[]): void {
    const expiresAt = this.now() + this.ttlMs;
    for (const channel of channels) {
      if (!channel.name) continue;
      const entry: ChannelEntry = { id: channel.id, name: channel.name.toLowerCase(), expiresAt };
      this.byId.delete(entry.id);
      this.byId.set(entry.id, entry);
      this.byName.delete(entry.name);
      this.byName.set(entry.name, entry);
    }
    trim(this.byId);
    trim(this.byName);
  }

  nameOf(id: string): string | undefined {
    const entry = this.byId.get(id);
    return entry && entry.expiresAt > this.now() ? entry.name : undefined;
  }

  idOf(name: string): string | undefined {
    const entry = this.byName.get(name.toLowerCase());
    return entry && entry.expiresAt > this.now() ? entry.id : undefined;
  }

  /** The other form of a channel (the name of an id, the id of a name) when it is known. */
  counterpart(channel: string): string | undefined {
    return isChannelId(channel) ? this.nameOf(channel) : this.idOf(channel);
  }
}

function trim(map: Map<string, ChannelEntry>): void {
  while (map.size > MAX_ENTRIES) {
    const oldest = map.keys().next().value;
    if (oldest === undefined) break;
    map.delete(oldest);
  }
}

/**
 * The id of a channel given as an id or a name. Names are looked up in the cache, then by reading
 * conversations.list (bounded); methods such as conversations.history accept ids only.
 */
export async function channelIdFor(ctx: SlackContext, channel: string): Promise<string> {
  if (isChannelId(channel)) return channel;
  const directory = ctx.client.channels;
  const cached = directory.idOf(channel);
  if (cached) return cached;
  let cursor: string | null = "";
  let pages = 0;
  while (cursor !== null && pages < MAX_NAME_SCAN_PAGES) {
    const answer = await slackRequest(
      ctx,
      "conversations.list",
      {
        types: "public_channel,private_channel",
        exclude_archived: false,
        limit: 1000,
        ...(cursor ? { cursor } : {}),
      },
      conversationsListSchema,
    );
    pages += 1;
    directory.rememberAll(answer.channels);
    const found = directory.idOf(channel);
    if (found) return found;
    cursor = nextFromCursorToken(answer.response_metadata?.next_cursor);
  }
  throw new ConnectorError({
    code: "not_found",
    message:
      cursor === null
        ? `No channel named #${channel} is visible to this token.`
        : `No channel named #${channel} among the first ${pages * 1000} channels visible to this token.`,
    hint: "Check the name, or pass the channel id (C...) from slack_list_channels; private channels are visible only to members.",
    notApplied: true,
    details: { channel: `#${channel}` },
  });
}

/** The name of a channel id, from the cache or conversations.info; undefined for conversations without one (DMs). */
export async function channelNameFor(ctx: SlackContext, id: string): Promise<string | undefined> {
  const cached = ctx.client.channels.nameOf(id);
  if (cached) return cached;
  const answer = await slackRequest(ctx, "conversations.info", { channel: id }, conversationsInfoSchema);
  ctx.client.channels.remember(answer.channel);
  return answer.channel.name?.toLowerCase();
}

const sameTarget = (a: string, b: string) =>
  a.replace(/^#/, "").toLowerCase() === b.replace(/^#/, "").toLowerCase();

/**
 * Refuses, before anything is posted, a write to a channel outside SLACK_CHANNELS, unless an approval cleared
 * it for this call. An id is checked against listed names (and a name against listed ids) by looking up the
 * other form.
 */
export async function assertWritableChannel(ctx: SlackContext, channel: string): Promise<void> {
  const { allowlist } = ctx.client;
  if (ctx.approvedTargets.some((target) => sameTarget(target, channelLabel(channel)))) return;
  if (allowlist.allows(channel)) return;
  const known = ctx.client.channels.counterpart(channel);
  if (known && allowlist.allows(known)) return;
  if (isChannelId(channel) && allowlist.hasNames) {
    const name = await channelNameFor(ctx, channel);
    if (name && allowlist.allows(name)) return;
  } else if (!isChannelId(channel) && allowlist.hasIds) {
    const id = await channelIdFor(ctx, channel).catch((error: unknown) => {
      if (ConnectorError.isInstance(error) && error.code === "not_found") return undefined;
      throw error;
    });
    if (id && allowlist.allows(id)) return;
  }
  throw channelNotListed(channel, allowlist);
}
