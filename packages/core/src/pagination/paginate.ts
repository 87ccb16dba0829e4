import { ConnectorError } from "../errors/connector-error.js";

export interface Page<Item, Position> {
  readonly items: readonly Item[];
  /** Position of the following page, or null at the end. */
  readonly next: Position | null;
}

export type FetchPage<Item, Position> = (
  position: Position,
  pageSize: number,
  signal: AbortSignal,
) => Promise<Page<Item, Position>>;

export interface PaginateOptions<Item, Position> {
  readonly start: Position;
  readonly pageSize: number;
  readonly fetchPage: FetchPage<Item, Position>;
  readonly signal?: AbortSignal;
  /** Hard stop. Reaching it throws rather than returning a silently partial list. Default 1,000. */
  readonly maxPages?: number;
}

export interface PageWithPosition<Item, Position> extends Page<Item, Position> {
  /** The position this page was fetched from. */
  readonly position: Position;
  readonly pageNumber: number;
}

/**
 * Walks every page of a list, whatever the strategy (link header, cursor token, offset, keyset), as an async
 * iterator. For the native API and exports; tools use `collectPage` so a call stays bounded.
 */
export async function* paginate<Item, Position>(
  options: PaginateOptions<Item, Position>,
): AsyncGenerator<PageWithPosition<Item, Position>, void, undefined> {
  const maxPages = options.maxPages ?? 1000;
  const signal = options.signal ?? new AbortController().signal;
  let position: Position | null = options.start;
  let pageNumber = 0;
  while (position !== null) {
    if (pageNumber >= maxPages) {
      throw new ConnectorError({
        code: "invalid_input",
        message: `The list has more than ${maxPages} pages; stopped instead of reading without end.`,
        hint: "Narrow the query, or raise maxPages if reading everything is really intended.",
      });
    }
    signal.throwIfAborted();
    const page: Page<Item, Position> = await options.fetchPage(position, options.pageSize, signal);
    pageNumber += 1;
    yield { ...page, position, pageNumber };
    position = page.next;
  }
}
