import { SlackApiError, type SlackArgs } from "./slack-http.js";

/**
 * Slack's opaque cursors: base64 of `<kind>:<position>` (Slack's own look like `dXNlcjpVMDYxTkZUVDI=`, that
 * is `user:U061NFTT2`). A cursor of another kind or one that does not decode is `invalid_cursor`.
 */

export function encodeCursor(kind: string, position: string): string {
  return Buffer.from(`${kind}:${position}`, "utf8").toString("base64");
}

export function decodeCursor(cursor: string, kind: string): string {
  const trimmed = cursor.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) throw new SlackApiError("invalid_cursor");
  const decoded = Buffer.from(trimmed, "base64").toString("utf8");
  const prefix = `${kind}:`;
  if (!decoded.startsWith(prefix) || decoded.length === prefix.length)
    throw new SlackApiError("invalid_cursor");
  return decoded.slice(prefix.length);
}

export interface LimitRule {
  readonly fallback: number;
  readonly max: number;
}

/**
 * The `limit` argument: absent means `fallback`; above `max` is lowered to `max` (Slack documents limits as
 * "under 1000" and serves fewer); not a whole number, or below 1, is `invalid_limit`.
 */
export function pageLimit(args: SlackArgs, rule: LimitRule): number {
  const limit = args.integer("limit", () => new SlackApiError("invalid_limit"));
  if (limit === undefined || limit === 0) return rule.fallback;
  if (limit < 0) throw new SlackApiError("invalid_limit");
  return Math.min(limit, rule.max);
}

/** `response_metadata` as Slack sends it: `next_cursor` is an empty string on the last page. */
export const responseMetadata = (nextCursor: string | undefined) => ({
  response_metadata: { next_cursor: nextCursor ?? "" },
});

/**
 * One page of an id-ordered list from a `kind:<id>` cursor: the items from the cursor's id on, at most
 * `limit`, and the cursor of the next page. An id that no longer exists resumes at the next one after it.
 */
export function pageByKey<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  cursor: string | undefined,
  kind: string,
  limit: number,
): { page: T[]; next: string | undefined } {
  let start = 0;
  if (cursor !== undefined && cursor.trim() !== "") {
    const key = decodeCursor(cursor, kind);
    start = items.findIndex((item) => keyOf(item) >= key);
    if (start < 0) start = items.length;
  }
  const page = items.slice(start, start + limit);
  const following = items[start + limit];
  return { page, next: following === undefined ? undefined : encodeCursor(kind, keyOf(following)) };
}
