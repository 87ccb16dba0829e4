/**
 * How each upstream says "there is more". A page fetcher uses one of these to compute the position of the
 * next page; positions are plain JSON so they fit in a signed cursor.
 */

/** Link-header pagination (GitHub): the position is the `rel="next"` URL, followed as given. */
export function nextFromLinkHeader(linkHeader: string | null | undefined): string | null {
  if (!linkHeader) return null;
  for (const part of linkHeader.split(",")) {
    const match = /<([^>]+)>\s*;\s*(?:[^;]*;\s*)*rel="?([^";]+)"?/.exec(part.trim());
    if (match?.[2]?.split(/\s+/).includes("next")) return match[1] ?? null;
  }
  return null;
}

/** Cursor-token pagination (Slack `next_cursor`, Jira `nextPageToken`): empty or missing means the end. */
export function nextFromCursorToken(token: string | null | undefined): string | null {
  return typeof token === "string" && token.trim() !== "" ? token : null;
}

export interface OffsetPage {
  readonly offset: number;
  readonly count: number;
  readonly total?: number | undefined;
  /** Jira's `isLast`; trusted when present. */
  readonly isLast?: boolean | undefined;
  readonly pageSize: number;
}

/**
 * Offset pagination (Jira `startAt`). The server may shrink a page below the size asked for, so the next
 * offset advances by what came back, and a short page only ends the list when the server says so or the
 * total is reached.
 */
export function nextFromOffset(page: OffsetPage): number | null {
  if (page.isLast === true || page.count === 0) return null;
  const next = page.offset + page.count;
  if (page.total !== undefined) return next < page.total ? next : null;
  if (page.isLast === false) return next;
  return page.count < page.pageSize ? null : next;
}

/**
 * Keyset pagination (SQL `WHERE key > $last ORDER BY key`): the position is the key of the last item, or
 * null when a short page shows the end.
 */
export function nextFromKeyset<Item, Key>(
  items: readonly Item[],
  keyOf: (item: Item) => Key,
  pageSize: number,
): Key | null {
  const last = items.at(-1);
  if (last === undefined || items.length < pageSize) return null;
  return keyOf(last);
}
