import { ConnectorError } from "@switchyard/core";
import { usersInfoSchema, type WireMessage, type WireUser } from "./slack-api.js";
import { type SlackContext, slackRequest } from "./slack-client.js";
import { mentionedUserIds, type RenderNames } from "./slack-mrkdwn.js";
import { displayNameOf } from "./slack-output.js";
import { SLACK_TIERS } from "./slack-rate-limits.js";

export interface SlackUserDirectoryOptions {
  /** How long a resolved name is kept. Default 15 minutes. */
  readonly ttlMs?: number | undefined;
  /** users.info lookups this connector may make per minute (Tier 4). Default 100. */
  readonly lookupsPerMinute?: number | undefined;
  readonly now?: () => number;
}

const DEFAULT_TTL_MS = 15 * 60 * 1000;
const MAX_ENTRIES = 20_000;
const LOOKUP_BATCH = 5;

/**
 * User names by id, for every credential of one connector. Names come from users.list, users.info and
 * users.lookupByEmail answers; entries expire, so renamed users are picked up. users.info lookups draw from a
 * per-minute budget of their own (Tier 4): core's buckets count a tool call once, whatever it calls inside.
 */
export class SlackUserDirectory {
  private readonly entries = new Map<string, { name: string; expiresAt: number }>();
  private readonly lookupTimes: number[] = [];
  private readonly ttlMs: number;
  private readonly lookupsPerMinute: number;
  private readonly now: () => number;

  constructor(options: SlackUserDirectoryOptions = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    this.lookupsPerMinute = options.lookupsPerMinute ?? SLACK_TIERS[4].amount;
    this.now = options.now ?? Date.now;
  }

  remember(user: WireUser): void {
    this.entries.delete(user.id);
    this.entries.set(user.id, { name: displayNameOf(user), expiresAt: this.now() + this.ttlMs });
    // Oldest first: Map keeps insertion order, and a remembered entry was just moved to the end.
    while (this.entries.size > MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  name(id: string): string | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(id);
      return undefined;
    }
    return entry.name;
  }

  /** Takes one users.info lookup from the per-minute budget; false when it is spent. */
  takeLookup(): boolean {
    const windowStart = this.now() - 60_000;
    while (this.lookupTimes.length > 0 && (this.lookupTimes[0] as number) <= windowStart)
      this.lookupTimes.shift();
    if (this.lookupTimes.length >= this.lookupsPerMinute) return false;
    this.lookupTimes.push(this.now());
    return true;
  }
}

/** The user ids a set of messages needs names for: authors first, then mentions. */
export function userIdsIn(messages: readonly WireMessage[]): string[] {
  const ids = new Set<string>();
  for (const message of messages) if (message.user) ids.add(message.user);
  for (const message of messages) for (const id of mentionedUserIds(message.text ?? "")) ids.add(id);
  return [...ids];
}

/**
 * Names for the given ids: cached ones at once, up to `userLookupsPerCall` others through users.info. Lookups
 * are best effort: a failed or unaffordable one leaves the id unresolved (the output shows the id). Only the
 * call's own deadline or cancellation ends the call.
 */
export async function resolveUserNames(ctx: SlackContext, ids: readonly string[]): Promise<RenderNames> {
  const directory = ctx.client.users;
  const missing = ids
    .filter((id) => directory.name(id) === undefined)
    .slice(0, ctx.client.userLookupsPerCall);
  let stop = false;
  for (let start = 0; start < missing.length && !stop; start += LOOKUP_BATCH) {
    const batch = missing.slice(start, start + LOOKUP_BATCH).filter(() => directory.takeLookup());
    if (batch.length === 0) break;
    await Promise.all(
      batch.map(async (id) => {
        try {
          const answer = await slackRequest(ctx, "users.info", { user: id }, usersInfoSchema);
          directory.remember(answer.user);
        } catch (error) {
          if (ctx.signal.aborted) throw ctx.signal.reason;
          if (ConnectorError.isInstance(error) && error.code === "rate_limited") stop = true;
        }
      }),
    );
  }
  return { userName: (id) => directory.name(id) };
}
