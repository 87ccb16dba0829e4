import { decodeCursor, encodeCursor } from "../slack-cursor.js";
import { SlackApiError } from "../slack-http.js";
import type { SlackMethod } from "../slack-method.js";
import { highlight, parseSearchQuery, searchMessages } from "../slack-search.js";
import { SLACK_TEAM_ID } from "../slack-seed.js";
import { permalink } from "../slack-serialize.js";

const COUNT_DEFAULT = 20;
const COUNT_MAX = 100;
const PAGE_MAX = 100;

/**
 * search.messages: user tokens only (a bot token is `not_allowed_token_type`), scope `search:read`. Paged with
 * `count`/`page` (the `paging` and `pagination` objects), or with `cursor` (`*` first, then
 * `response_metadata.next_cursor`).
 */
export const searchMessagesMethod: SlackMethod = {
  name: "search.messages",
  rate: 2,
  tokenKinds: ["user"],
  scopes: ["search:read"],
  handle(ctx) {
    const query = ctx.args.string("query") ?? "";
    if (query.trim() === "") throw new SlackApiError("no_query");
    const invalid = () => new SlackApiError("invalid_arguments");
    const rawCount = ctx.args.integer("count", invalid);
    const count = rawCount === undefined || rawCount < 1 ? COUNT_DEFAULT : Math.min(rawCount, COUNT_MAX);
    const sort = ctx.args.string("sort") ?? "score";
    const ascending = (ctx.args.string("sort_dir") ?? "desc").toLowerCase() === "asc";
    const parsed = parseSearchQuery(query, ctx.state);
    const hits = searchMessages(ctx.state, ctx.principal, parsed).sort((a, b) => {
      const byTime = a.message.micros - b.message.micros;
      const order = sort === "timestamp" || a.score === b.score ? byTime : a.score - b.score;
      return ascending ? order : -order;
    });

    const cursor = ctx.args.string("cursor")?.trim();
    let offset: number;
    let page: number;
    if (cursor !== undefined && cursor !== "") {
      if (cursor === "*") offset = 0;
      else {
        const position = decodeCursor(cursor, "search");
        if (!/^\d+$/.test(position)) throw new SlackApiError("invalid_cursor");
        offset = Number(position);
      }
      page = Math.floor(offset / count) + 1;
    } else {
      const rawPage = ctx.args.integer("page", invalid);
      page = rawPage === undefined || rawPage < 1 ? 1 : Math.min(rawPage, PAGE_MAX);
      offset = (page - 1) * count;
    }
    const slice = hits.slice(offset, offset + count);
    const pages = Math.max(1, Math.ceil(hits.length / count));
    const withHighlights = ctx.args.bool("highlight");
    const matches = slice.map(({ message, channel, score }) => {
      const author = ctx.state.user(message.user);
      return {
        iid: `${channel.id}-${message.ts}`,
        team: SLACK_TEAM_ID,
        score,
        channel: {
          id: channel.id,
          is_channel: true,
          is_group: false,
          is_im: false,
          is_mpim: false,
          is_shared: false,
          is_org_shared: false,
          is_ext_shared: false,
          is_private: channel.isPrivate,
          is_pending_ext_shared: false,
          pending_shared: [],
          name: channel.name,
        },
        type: "message",
        user: message.user,
        username: author?.name ?? "",
        ts: message.ts,
        text: withHighlights ? highlight(message.text, parsed) : message.text,
        permalink: permalink(message),
        ...(message.reactions.length > 0
          ? {
              reactions: message.reactions.map((reaction) => ({
                name: reaction.name,
                users: [...reaction.users],
                count: reaction.users.length,
              })),
            }
          : { no_reactions: true }),
      };
    });
    const nextOffset = offset + slice.length;
    return {
      query,
      messages: {
        matches,
        total: hits.length,
        pagination: {
          total_count: hits.length,
          page,
          per_page: count,
          page_count: pages,
          first: slice.length > 0 ? offset + 1 : 0,
          last: slice.length > 0 ? nextOffset : 0,
        },
        paging: { count, total: hits.length, page, pages },
      },
      ...(cursor !== undefined && cursor !== ""
        ? {
            response_metadata: {
              next_cursor: nextOffset < hits.length ? encodeCursor("search", String(nextOffset)) : "",
            },
          }
        : {}),
    };
  },
};

export const SEARCH_METHODS = [searchMessagesMethod];
