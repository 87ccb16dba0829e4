import { ConnectorError, createAllowlist } from "@switchyard/core";
import { SLACK_ENV } from "./slack-settings.js";
import { channelLabel, isChannelId } from "./slack-validation.js";

/**
 * The channels write tools may post and react in (`SLACK_CHANNELS`): ids (`C0123ABCD`) and names with or without
 * `#`, globs allowed (`#eng-*`). Unlike core's default, an empty list allows no channel: posting reaches people,
 * so it takes an explicit choice.
 */
export interface SlackChannelAllowlist {
  readonly patterns: readonly string[];
  /** True when any entry is a name (or a name glob): an id must then be resolved to its name to be checked. */
  readonly hasNames: boolean;
  /** True when any entry is an id: a name must then be resolved to its id to be checked. */
  readonly hasIds: boolean;
  /** Whether the channel, as an id or a normalised name, matches an entry. */
  allows(channel: string): boolean;
}

const NAME_GLOB = /^[a-z0-9._*-]{1,80}$/;

export function createSlackAllowlist(entries: readonly string[] | undefined): SlackChannelAllowlist {
  const patterns = (entries ?? [])
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
    .map((entry) => (isChannelId(entry) ? entry : entry.replace(/^#/, "").toLowerCase()));
  for (const pattern of patterns) {
    if (!isChannelId(pattern) && !NAME_GLOB.test(pattern)) {
      throw new TypeError(
        `${SLACK_ENV.channels} entry "${pattern}" is not a channel id (C0123ABCD) or a channel name (#ops, #eng-*).`,
      );
    }
  }
  const list = createAllowlist(patterns, SLACK_ENV.channels);
  return {
    patterns,
    hasNames: patterns.some((pattern) => !isChannelId(pattern)),
    hasIds: patterns.some(isChannelId),
    allows: (channel) => patterns.length > 0 && list.allows(channel),
  };
}

/** The refusal for a write outside the allowlist; nothing was sent. */
export function channelNotListed(channel: string, allowlist: SlackChannelAllowlist): ConnectorError {
  const listed = allowlist.patterns.map(channelLabel).join(", ");
  return new ConnectorError({
    code: "permission_denied",
    message:
      allowlist.patterns.length === 0
        ? `Channel ${channelLabel(channel)} is not in ${SLACK_ENV.channels}, which is empty: no channel is open to writes.`
        : `Channel ${channelLabel(channel)} is outside this connector's ${SLACK_ENV.channels} (${listed}).`,
    hint:
      allowlist.patterns.length === 0
        ? `Ask the operator to list the channels writes may go to in ${SLACK_ENV.channels}. Do not retry.`
        : `Only these channels accept writes: ${listed}. Do not retry with the same channel.`,
    notApplied: true,
    details: { channel: channelLabel(channel) },
  });
}

/**
 * Mentions that notify a whole channel or workspace: `<!channel>`, `<!here>`, `<!everyone>` (with or without a
 * `|label`), and the plain `@channel` / `@here` / `@everyone` Slack may turn into them.
 */
const BROADCAST = /<!(channel|here|everyone)(?:\|[^>]*)?>|(?<![\w@.])@(channel|here|everyone)\b/gi;

export function findBroadcastMentions(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(BROADCAST)) {
    found.add(`@${(match[1] ?? match[2] ?? "").toLowerCase()}`);
  }
  return [...found];
}

/** Refuses text that would notify everyone in a channel, unless the operator allowed it. */
export function assertNoBroadcastMentions(text: string, allowed: boolean): void {
  if (allowed) return;
  const mentions = findBroadcastMentions(text);
  if (mentions.length === 0) return;
  throw new ConnectorError({
    code: "permission_denied",
    message: `The message contains ${mentions.join(", ")}, which notifies everyone in the channel; broadcast mentions are not allowed here.`,
    hint: "Remove the broadcast mention (mention people by name instead) and call again, or ask the operator to enable allowBroadcastMentions.",
    notApplied: true,
    details: { mentions },
  });
}
