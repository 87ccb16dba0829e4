import type { ListResult } from "@switchyard/core";
import { nextFromCursorToken, nextFromOffset } from "@switchyard/core";
import type { JiraContext } from "./jira-client.js";

/** Where a token-paginated list continues: "" for the first page, else Jira's `nextPageToken`. */
export type TokenPosition = string;
export const FIRST_PAGE: TokenPosition = "";

export interface TokenListOptions<Item> {
  readonly limit: number;
  readonly cursor: string | undefined;
  readonly maxPageSize: number;
  /** Reads one page: `token` is undefined for the first. */
  readonly page: (
    token: string | undefined,
    pageSize: number,
  ) => Promise<{ items: Item[]; nextPageToken: string | null | undefined; isLast?: boolean | undefined }>;
}

/**
 * Reads a `nextPageToken` list (issue search) through core's bounded, cursor-resumable `ctx.list`. The
 * token travels inside core's signed cursor; Jira's `isLast` (or a missing token) ends the list.
 */
export function listByPageToken<Item>(
  ctx: JiraContext,
  options: TokenListOptions<Item>,
): Promise<ListResult<Item>> {
  return ctx.list<Item, TokenPosition>({
    limit: options.limit,
    cursor: options.cursor,
    start: FIRST_PAGE,
    maxPageSize: options.maxPageSize,
    fetchPage: async (position, pageSize) => {
      const page = await options.page(position === FIRST_PAGE ? undefined : position, pageSize);
      const next = page.isLast === true ? null : nextFromCursorToken(page.nextPageToken);
      return { items: page.items, next };
    },
  });
}

export interface OffsetListOptions<Item> {
  readonly limit: number;
  readonly cursor: string | undefined;
  readonly maxPageSize: number;
  readonly page: (
    startAt: number,
    pageSize: number,
  ) => Promise<{ items: Item[]; count: number; total?: number | undefined; isLast?: boolean | undefined }>;
}

/**
 * Reads a `startAt`/`maxResults` list (PageBean). The server may return fewer than asked, so the next
 * offset advances by what came back (`count`: the page's size before any filtering) and a short page ends
 * the list only when Jira says so (core's `nextFromOffset`).
 */
export function listByOffset<Item>(
  ctx: JiraContext,
  options: OffsetListOptions<Item>,
): Promise<ListResult<Item>> {
  return ctx.list<Item, number>({
    limit: options.limit,
    cursor: options.cursor,
    start: 0,
    maxPageSize: options.maxPageSize,
    fetchPage: async (startAt, pageSize) => {
      const page = await options.page(startAt, pageSize);
      return {
        items: page.items,
        next: nextFromOffset({
          offset: startAt,
          count: page.count,
          total: page.total,
          isLast: page.isLast,
          pageSize,
        }),
      };
    },
  });
}
