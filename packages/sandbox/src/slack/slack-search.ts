import type { SlackChannelRecord, SlackMessageRecord, SlackPrincipal } from "./slack-model.js";
import type { SlackSandboxState } from "./slack-state.js";

/**
 * search.messages' query language, the commonly used part: free words (every one must appear, case-insensitive,
 * as a substring), `"exact phrases"`, `-word` to exclude, `in:#channel` / `in:<#C…>`, `from:@user` /
 * `from:<@U…>`, `before:`/`after:`/`on:` a `YYYY-MM-DD` date (UTC), `during:YYYY-MM[-DD]`, `has:link`,
 * `has:reaction`, `is:thread`. Several `in:` or `from:` are ORed. An unknown channel or user matches nothing.
 */

export interface SearchQuery {
  readonly words: readonly string[];
  readonly phrases: readonly string[];
  readonly excluded: readonly string[];
  /** Channel ids; undefined: any. */
  readonly channels: ReadonlySet<string> | undefined;
  /** User ids; undefined: any. */
  readonly users: ReadonlySet<string> | undefined;
  /** Microsecond bounds: after > message >= … (after is exclusive of the day, as Slack's `after:`). */
  readonly from: number;
  readonly until: number;
  readonly hasLink: boolean;
  readonly hasReaction: boolean;
  readonly isThread: boolean;
}

const DAY_MICROS = 86_400_000_000;

function dayStart(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(text);
  if (!match) return undefined;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3] ?? "1"));
  return Number.isNaN(ms) ? undefined : ms * 1000;
}

function monthEnd(start: number): number {
  const date = new Date(start / 1000);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) * 1000;
}

function tokens(query: string): string[] {
  return [...query.matchAll(/-?"[^"]*"|\S+/g)].map((match) => match[0]);
}

export function parseSearchQuery(query: string, state: SlackSandboxState): SearchQuery {
  const words: string[] = [];
  const phrases: string[] = [];
  const excluded: string[] = [];
  let channels: Set<string> | undefined;
  let users: Set<string> | undefined;
  let from = 0;
  let until = Number.POSITIVE_INFINITY;
  let hasLink = false;
  let hasReaction = false;
  let isThread = false;
  for (const token of tokens(query)) {
    const modifier = /^(in|from|before|after|on|during|has|is):(.+)$/i.exec(token);
    if (modifier) {
      const key = (modifier[1] as string).toLowerCase();
      const value = modifier[2] as string;
      if (key === "in") {
        const id = /^<#([A-Z0-9]+)(?:\|[^>]*)?>$/.exec(value)?.[1];
        const channel = id ? state.channel(id) : (state.channel(value) ?? state.channelByName(value));
        channels ??= new Set();
        channels.add(channel?.id ?? `missing:${value}`);
      } else if (key === "from") {
        const id = /^<@([A-Z0-9]+)(?:\|[^>]*)?>$/.exec(value)?.[1];
        const name = value.replace(/^@/, "").toLowerCase();
        const user = id
          ? state.user(id)
          : (state.user(value) ??
            state
              .users()
              .find((candidate) => candidate.name === name || candidate.displayName.toLowerCase() === name));
        users ??= new Set();
        users.add(user?.id ?? `missing:${value}`);
      } else if (key === "has") {
        if (value.toLowerCase() === "link") hasLink = true;
        else if (value.toLowerCase() === "reaction" || value.startsWith(":")) hasReaction = true;
        else words.push(token.toLowerCase());
      } else if (key === "is") {
        if (value.toLowerCase() === "thread") isThread = true;
        else words.push(token.toLowerCase());
      } else {
        const start = dayStart(value);
        if (start === undefined) {
          words.push(token.toLowerCase());
          continue;
        }
        const end = key === "during" && value.length === 7 ? monthEnd(start) : start + DAY_MICROS;
        if (key === "before") until = Math.min(until, start);
        else if (key === "after") from = Math.max(from, start + DAY_MICROS);
        else {
          from = Math.max(from, start);
          until = Math.min(until, end);
        }
      }
      continue;
    }
    if (/^-"[^"]*"$/.test(token) || (token.startsWith("-") && token.length > 1)) {
      excluded.push(token.slice(1).replace(/"/g, "").toLowerCase());
    } else if (/^"[^"]*"$/.test(token)) {
      const phrase = token.slice(1, -1).trim().toLowerCase();
      if (phrase !== "") phrases.push(phrase);
    } else {
      words.push(token.toLowerCase());
    }
  }
  return { words, phrases, excluded, channels, users, from, until, hasLink, hasReaction, isThread };
}

export interface SearchHit {
  readonly message: SlackMessageRecord;
  readonly channel: SlackChannelRecord;
  readonly score: number;
}

function occurrences(text: string, term: string): number {
  let count = 0;
  for (let at = text.indexOf(term); at >= 0; at = text.indexOf(term, at + term.length)) count += 1;
  return count;
}

/** Messages (replies included) in channels the principal can see that match the query. */
export function searchMessages(
  state: SlackSandboxState,
  principal: SlackPrincipal,
  query: SearchQuery,
): SearchHit[] {
  const hits: SearchHit[] = [];
  for (const channel of state.channels()) {
    if (!state.canSee(principal, channel)) continue;
    if (query.channels && !query.channels.has(channel.id)) continue;
    for (const message of channel.byTs.values()) {
      if (query.users && !query.users.has(message.user)) continue;
      if (message.micros < query.from || message.micros >= query.until) continue;
      const text = message.text.toLowerCase();
      if (query.hasLink && !/<https?:\/\//.test(message.text)) continue;
      if (query.hasReaction && message.reactions.length === 0) continue;
      if (query.isThread && message.threadTs === undefined) continue;
      const terms = [...query.words, ...query.phrases];
      if (!terms.every((term) => text.includes(term))) continue;
      if (query.excluded.some((term) => text.includes(term))) continue;
      const score = terms.reduce((sum, term) => sum + occurrences(text, term), 0);
      hits.push({ message, channel, score: terms.length === 0 ? 1 : score / terms.length });
    }
  }
  return hits;
}

/** Slack's highlight markers (U+E000 before and U+E001 after each match). */
export function highlight(text: string, query: SearchQuery): string {
  const terms = [...query.phrases, ...query.words].filter((term) => term !== "");
  if (terms.length === 0) return text;
  const pattern = new RegExp(
    terms.map((term) => term.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"),
    "gi",
  );
  return text.replace(pattern, (match) => `\ue000${match}\ue001`);
}
