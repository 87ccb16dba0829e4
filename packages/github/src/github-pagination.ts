import type { ListResult } from "@switchyard/core";
import { nextFromLinkHeader } from "@switchyard/core";
import type { z } from "zod";
import { type GithubContext, type GithubResponse, githubRequestUrl } from "./github-client.js";

/** Where a GitHub list continues: "" for the first page, else the `rel="next"` URL GitHub gave. */
export type LinkPosition = string;
export const FIRST_PAGE: LinkPosition = "";

export interface LinkListOptions<Schema extends z.ZodType, Item> {
  readonly limit: number;
  readonly cursor: string | undefined;
  readonly schema: Schema;
  /** Requests the first page with the endpoint's own parameters and `per_page: pageSize`. */
  readonly first: (pageSize: number) => Promise<GithubResponse<z.output<Schema>>>;
  /** Maps one page's body to output items, in order; may drop items (allowlist filtering). */
  readonly items: (data: z.output<Schema>) => Item[];
  /** Adjusts the next-page URL (the search ceiling stops there); return null to end the list. */
  readonly next?: (url: string) => string | null;
}

/**
 * Reads a Link-header-paginated GitHub list through core's bounded, cursor-resumable `ctx.list`. GitHub says
 * to follow its `next` URLs rather than build page numbers, so later positions are those URLs.
 */
export function listByLinkHeader<Schema extends z.ZodType, Item>(
  ctx: GithubContext,
  options: LinkListOptions<Schema, Item>,
): Promise<ListResult<Item>> {
  return ctx.list<Item, LinkPosition>({
    limit: options.limit,
    cursor: options.cursor,
    start: FIRST_PAGE,
    maxPageSize: 100,
    fetchPage: async (position, pageSize) => {
      const response =
        position === FIRST_PAGE
          ? await options.first(pageSize)
          : await githubRequestUrl(ctx, position, options.schema);
      const linked = nextFromLinkHeader(headerText(response.headers.link));
      const next = linked === null ? null : options.next ? options.next(linked) : linked;
      return { items: options.items(response.data), next };
    },
  });
}

function headerText(value: string | number | undefined): string | undefined {
  return value === undefined ? undefined : String(value);
}
