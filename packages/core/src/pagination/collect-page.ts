import type { CursorState } from "./cursor-codec.js";
import type { FetchPage } from "./paginate.js";

export interface CollectPageOptions<Item, Position> {
  /** Where to begin: the decoded cursor, or the first page. */
  readonly from: CursorState;
  /** Items wanted in this call. */
  readonly limit: number;
  readonly fetchPage: FetchPage<Item, Position>;
  readonly signal: AbortSignal;
  /** Upstream pages one call may read, so a sparse list cannot turn one call into hundreds of requests. */
  readonly maxPages: number;
  readonly onPage?: (pagesRead: number) => void;
}

export interface CollectedPage<Item> {
  readonly items: Item[];
  /** Where the item at each index came from, to continue exactly there after a cut. */
  readonly origins: CursorState[];
  /** Where the list continues after the last item, or null at its end. */
  readonly next: CursorState | null;
  readonly pagesRead: number;
}

/**
 * Reads upstream pages from a cursor position until `limit` items are collected, the list ends, or
 * `maxPages` were read. Every item remembers its (page position, index), so the list can be resumed at any
 * item: this is what makes "cut by the output budget, continue with nextCursor" return each item once.
 */
export async function collectPage<Item, Position>(
  options: CollectPageOptions<Item, Position>,
): Promise<CollectedPage<Item>> {
  const { limit, signal, maxPages } = options;
  const pageSize = options.from.pageSize;
  const items: Item[] = [];
  const origins: CursorState[] = [];
  let position = options.from.position as Position | null;
  let skip = options.from.skip;
  let pagesRead = 0;

  while (position !== null && items.length < limit && pagesRead < maxPages) {
    signal.throwIfAborted();
    const page = await options.fetchPage(position, pageSize, signal);
    pagesRead += 1;
    options.onPage?.(pagesRead);
    for (let index = skip; index < page.items.length; index += 1) {
      if (items.length === limit) {
        return { items, origins, next: { position, skip: index, pageSize }, pagesRead };
      }
      items.push(page.items[index] as Item);
      origins.push({ position, skip: index, pageSize });
    }
    position = page.next;
    skip = 0;
  }
  return { items, origins, next: position === null ? null : { position, skip, pageSize }, pagesRead };
}
