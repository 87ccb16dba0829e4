import { pageByKey, pageLimit, responseMetadata } from "../slack-cursor.js";
import { missingArgument, SlackApiError } from "../slack-http.js";
import type { SlackContext, SlackMethod } from "../slack-method.js";
import type { SlackUserRecord } from "../slack-model.js";
import { userJson } from "../slack-serialize.js";

/** Profiles carry `email` only for tokens with `users:read.email`. */
function userOut(ctx: SlackContext, user: SlackUserRecord): Record<string, unknown> {
  const json = userJson(user, { email: ctx.principal.token.scopes.includes("users:read.email") });
  return ctx.args.bool("include_locale") ? { ...json, locale: "en-US" } : json;
}

export const usersInfo: SlackMethod = {
  name: "users.info",
  rate: 4,
  scopes: ["users:read"],
  handle(ctx) {
    const id = ctx.args.string("user")?.trim();
    if (id === undefined || id === "") throw missingArgument("user");
    const user = ctx.state.user(id);
    if (!user) throw new SlackApiError("user_not_found");
    return { user: userOut(ctx, user) };
  },
};

export const usersLookupByEmail: SlackMethod = {
  name: "users.lookupByEmail",
  rate: 3,
  scopes: ["users:read.email"],
  handle(ctx) {
    const email = ctx.args.string("email")?.trim();
    if (email === undefined || email === "") throw missingArgument("email");
    const user = ctx.state.userByEmail(email);
    if (!user) throw new SlackApiError("users_not_found");
    return { user: userOut(ctx, user) };
  },
};

export const usersList: SlackMethod = {
  name: "users.list",
  rate: 2,
  scopes: ["users:read"],
  handle(ctx) {
    // No limit (or 0): the whole list in one page, as Slack serves small workspaces.
    const limit = pageLimit(ctx.args, { fallback: 1000, max: 1000 });
    const { page, next } = pageByKey(
      ctx.state.users(),
      (user) => user.id,
      ctx.args.string("cursor"),
      "user",
      limit,
    );
    return {
      members: page.map((user) => userOut(ctx, user)),
      cache_ts: Math.floor(ctx.state.now() / 1000),
      ...responseMetadata(next),
    };
  },
};

export const USER_METHODS = [usersInfo, usersLookupByEmail, usersList];
