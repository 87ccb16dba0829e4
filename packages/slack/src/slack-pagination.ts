import type { ListResult } from "@switchyard/core";
import { nextFromCursorToken } from "@switchyard/core";
import type { SlackContext } from "./slack-client.js";

/** Where a Slack list continues: the `start` position for the first page, else Slack's `next_cursor`. */
export type CursorPosition = string;

export interface CursorListOptions<Page, Item> {
  readonly limit: number;
  readonly cursor: string | undefined;
  /** The upstream's largest page for this method. */
  readonly maxPageSize: number;
  /** Position of the first page: "" for cursor methods (no cursor sent), "*" for search.messages. */
  readonly start?: CursorPosition;
  /** Requests one page: `cursor` is undefined for the first page of cursor methods. */
  readonly fetch: (cursor: string | undefined, pageSize: number) => Promise<Page>;
  /** Slack's next cursor in a page (usually `response_metadata.next_cursor`). */
  readonly nextCursor: (page: Page) => string | null | undefined;
  /** Maps one page to output items, in order (may resolve names first). */
  readonly items: (page: Page) => Promise<Item[]> | Item[];
}

/**
 * Reads a cursor-paginated Slack list through core's bounded, resumable `ctx.list`. One upstream page per call:
 * core's rate-limit bucket counts a tool call once, so a call that read several pages would spend more of the
 * method's tier than the limiter knows. Slack may return fewer items than asked even mid-list; `nextCursor`
 * then continues.
 */
export function listByCursor<Page, Item>(
  ctx: SlackContext,
  options: CursorListOptions<Page, Item>,
): Promise<ListResult<Item>> {
  const start = options.start ?? "";
  return ctx.list<Item, CursorPosition>({
    limit: options.limit,
    cursor: options.cursor,
    start,
    maxPageSize: options.maxPageSize,
    maxPages: 1,
    fetchPage: async (position, pageSize) => {
      const page = await options.fetch(position === "" ? undefined : position, pageSize);
      return { items: await options.items(page), next: nextFromCursorToken(options.nextCursor(page)) };
    },
  });
}
