import { basicCredentials, SlackApiError } from "../slack-http.js";
import type { SlackMethod } from "../slack-method.js";
import {
  SLACK_APP_ID,
  SLACK_BOT_USER_ID,
  SLACK_INSTALLER_USER_ID,
  SLACK_TEAM_ID,
  SLACK_TEAM_NAME,
  SLACK_TEAM_URL,
} from "../slack-seed.js";
import { SLACK_SANDBOX_CLIENT_ID, SLACK_SANDBOX_CLIENT_SECRET } from "../slack-tokens.js";

export const authTest: SlackMethod = {
  name: "auth.test",
  rate: 4,
  handle(ctx) {
    const { token, user } = ctx.principal;
    return {
      url: SLACK_TEAM_URL,
      team: SLACK_TEAM_NAME,
      user: user.name,
      team_id: SLACK_TEAM_ID,
      user_id: user.id,
      ...(token.kind === "bot" && user.botId !== undefined ? { bot_id: user.botId } : {}),
      is_enterprise_install: false,
      ...(token.expiresAt !== undefined
        ? { expires_in: Math.max(0, Math.floor((token.expiresAt - ctx.state.now()) / 1000)) }
        : {}),
    };
  },
};

/** auth.revoke: the calling token answers `token_revoked` from then on (`test=true` only pretends). */
export const authRevoke: SlackMethod = {
  name: "auth.revoke",
  rate: 3,
  handle(ctx) {
    if (ctx.args.bool("test")) return { revoked: false };
    ctx.state.revoke(ctx.principal.token.token);
    return { revoked: true };
  },
};

/**
 * oauth.v2.access with `grant_type=refresh_token`: client credentials by HTTP Basic (preferred) or
 * `client_id`/`client_secret` fields; each refresh token works once and the answer carries the next one.
 * The sandbox has no install flow, so any `code` is `invalid_code`.
 */
export const oauthV2Access: SlackMethod = {
  name: "oauth.v2.access",
  rate: "none",
  auth: "none",
  handle(ctx) {
    const basic = basicCredentials(ctx.request);
    const clientId = basic?.id ?? ctx.args.string("client_id") ?? "";
    const clientSecret = basic?.secret ?? ctx.args.string("client_secret") ?? "";
    if (clientId !== SLACK_SANDBOX_CLIENT_ID) throw new SlackApiError("invalid_client_id");
    if (clientSecret !== SLACK_SANDBOX_CLIENT_SECRET) throw new SlackApiError("bad_client_secret");
    const grantType = ctx.args.string("grant_type") ?? (ctx.args.has("code") ? "authorization_code" : "");
    if (grantType === "authorization_code") throw new SlackApiError("invalid_code");
    if (grantType !== "refresh_token") throw new SlackApiError("invalid_grant_type");
    const refreshToken = ctx.args.string("refresh_token")?.trim() ?? "";
    const { access, refresh } = ctx.state.rotate(refreshToken);
    const expiresIn = ctx.state.rotatedTokenTtlSeconds;
    const common = {
      app_id: SLACK_APP_ID,
      scope: access.scopes.join(","),
      access_token: access.token,
      refresh_token: refresh.token,
      expires_in: expiresIn,
      team: { id: SLACK_TEAM_ID, name: SLACK_TEAM_NAME },
      enterprise: null,
      is_enterprise_install: false,
    };
    return access.kind === "bot"
      ? {
          ...common,
          token_type: "bot",
          bot_user_id: SLACK_BOT_USER_ID,
          authed_user: { id: SLACK_INSTALLER_USER_ID },
        }
      : { ...common, token_type: "user", authed_user: { id: access.userId } };
  },
};

export const AUTH_METHODS = [authTest, authRevoke, oauthV2Access];
