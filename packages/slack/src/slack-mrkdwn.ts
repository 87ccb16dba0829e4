/**
 * Slack stores message text with its own markup: `<@U123>` mentions, `<#C123|general>` channel links,
 * `<!here>` broadcasts, `<https://x|label>` links, and `&amp;`, `&lt;`, `&gt;` for the three characters the
 * markup itself uses. A model reads that better as plain text: `@ana`, `#general`, `@here`, `label (https://x)`.
 */

export interface RenderNames {
  /** The display name for a user id, when known. */
  userName(id: string): string | undefined;
  /** The name of a channel id, when known. */
  channelName?(id: string): string | undefined;
}

const TOKEN = /<([^<>\n]{1,2000})>/g;
const USER_MENTION = /<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g;
const BROADCASTS = new Set(["here", "channel", "everyone"]);

/** Slack escapes exactly these three; `&amp;` last so `&amp;lt;` stays the literal text `&lt;`. */
export function decodeSlackEntities(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/** The user ids a text mentions, in order of first appearance. */
export function mentionedUserIds(text: string): string[] {
  return [...new Set([...text.matchAll(USER_MENTION)].map((match) => match[1] as string))];
}

export function renderSlackText(text: string, names: RenderNames): string {
  let rendered = "";
  let last = 0;
  for (const match of text.matchAll(TOKEN)) {
    rendered += decodeSlackEntities(text.slice(last, match.index));
    rendered += renderToken(match[1] as string, names);
    last = match.index + match[0].length;
  }
  return rendered + decodeSlackEntities(text.slice(last));
}

function renderToken(body: string, names: RenderNames): string {
  const bar = body.indexOf("|");
  const target = bar === -1 ? body : body.slice(0, bar);
  const label = bar === -1 ? undefined : decodeSlackEntities(body.slice(bar + 1)).trim() || undefined;
  if (target.startsWith("@")) {
    const id = target.slice(1);
    return `@${label ?? names.userName(id) ?? id}`;
  }
  if (target.startsWith("#")) {
    const id = target.slice(1);
    return `#${label ?? names.channelName?.(id) ?? id}`;
  }
  if (target.startsWith("!")) {
    const [command = "", ...args] = target.slice(1).split("^");
    if (BROADCASTS.has(command)) return `@${command}`;
    if (command === "subteam") {
      if (label) return label.startsWith("@") ? label : `@${label}`;
      return `@${args[0] ?? "group"}`;
    }
    if (command === "date") {
      if (label) return label;
      const seconds = Number(args[0]);
      return Number.isFinite(seconds) ? new Date(seconds * 1000).toISOString() : "(a date)";
    }
    return label ?? `!${command}`;
  }
  const url = decodeSlackEntities(target);
  if (url.startsWith("mailto:")) return label ?? url.slice("mailto:".length);
  if (label === undefined || label === url) return url;
  return `${label} (${url})`;
}

/** `1700000000.123456` -> `2023-11-14T22:13:20.123Z`; Slack timestamps are seconds and microseconds. */
export function slackTsToIso(ts: string): string {
  const [seconds = "0", micros = "0"] = ts.split(".");
  const ms = Number(seconds) * 1000 + Math.floor(Number(micros.padEnd(6, "0").slice(0, 6)) / 1000);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : ts;
}
