import { missingArgument, SlackApiError, type SlackArgs } from "./slack-http.js";
import type { SlackChannelRecord, SlackPrincipal, SlackTokenKind } from "./slack-model.js";
import type { SlackRateClass } from "./slack-rate-limit.js";
import type { SlackSandboxState } from "./slack-state.js";

/** One Web API method of the fake. */
export interface SlackMethod {
  /** `conversations.history`. */
  readonly name: string;
  /** Its rate-limit class: a tier, `post_message`, `history` (tier 3, or 1/min for non-Marketplace apps), `none`. */
  readonly rate: SlackRateClass;
  /** `token` (default): a valid token is required. `none`: no token (oauth.v2.access). */
  readonly auth?: "token" | "none";
  /** Token kinds allowed; another kind answers `not_allowed_token_type`. Default: any. */
  readonly tokenKinds?: readonly SlackTokenKind[];
  /** Scopes every call needs (more can be required per call with `ctx.requireScope`). */
  readonly scopes?: readonly string[];
  /** The answer's fields besides `ok: true`; errors are thrown as SlackApiError. */
  handle(ctx: SlackContext): Record<string, unknown> | Promise<Record<string, unknown>>;
}

/** Everything a method needs about one request. */
export class SlackContext {
  readonly request: Request;
  readonly args: SlackArgs;
  readonly state: SlackSandboxState;
  readonly #principal: SlackPrincipal | undefined;
  /** Scopes the method accepted for this call (the `x-accepted-oauth-scopes` header). */
  readonly accepted: string[] = [];

  constructor(
    request: Request,
    args: SlackArgs,
    state: SlackSandboxState,
    principal: SlackPrincipal | undefined,
  ) {
    this.request = request;
    this.args = args;
    this.state = state;
    this.#principal = principal;
  }

  get principal(): SlackPrincipal {
    if (!this.#principal) throw new SlackApiError("not_authed");
    return this.#principal;
  }

  get isBot(): boolean {
    return this.principal.token.kind === "bot";
  }

  /** `missing_scope` (with `needed` and `provided`) unless the token has every scope in `scopes`. */
  requireScope(...scopes: string[]): void {
    this.accepted.push(...scopes.filter((scope) => !this.accepted.includes(scope)));
    const granted = this.principal.token.scopes;
    const missing = scopes.filter((scope) => !granted.includes(scope));
    if (missing.length > 0) {
      throw new SlackApiError("missing_scope", { needed: missing.join(","), provided: granted.join(",") });
    }
  }

  /** `missing_scope` unless the token has at least one of `scopes` (needed lists them all, as Slack does). */
  requireAnyScope(...scopes: string[]): void {
    this.accepted.push(...scopes.filter((scope) => !this.accepted.includes(scope)));
    const granted = this.principal.token.scopes;
    if (!scopes.some((scope) => granted.includes(scope))) {
      throw new SlackApiError("missing_scope", { needed: scopes.join(","), provided: granted.join(",") });
    }
  }

  /**
   * The channel a read method (history, replies, info) names. Unknown, or private and the caller is not a
   * member: `channel_not_found`. With `history`, a bot that is not a member of a public channel gets
   * `not_in_channel`; user tokens may read public channels they have not joined.
   */
  readableChannel(options: { readonly history: boolean }): SlackChannelRecord {
    if (options.history) {
      this.requireAnyScope("channels:history", "groups:history", "im:history", "mpim:history");
    } else {
      this.requireAnyScope("channels:read", "groups:read", "im:read", "mpim:read");
    }
    const id = this.args.string("channel");
    if (id === undefined || id.trim() === "") throw missingArgument("channel");
    const channel = this.state.channel(id.trim());
    if (!channel || !this.state.canSee(this.principal, channel)) throw new SlackApiError("channel_not_found");
    if (options.history) {
      this.requireScope(channel.isPrivate ? "groups:history" : "channels:history");
      if (this.isBot && !this.state.isMember(this.principal, channel))
        throw new SlackApiError("not_in_channel");
    } else {
      this.requireScope(channel.isPrivate ? "groups:read" : "channels:read");
    }
    return channel;
  }

  /**
   * The channel a write names, by id or name (`general`, `#general`): unknown or invisible is
   * `channel_not_found`, archived `is_archived`, not a member `not_in_channel`.
   */
  writableChannel(scope: string): SlackChannelRecord {
    this.requireScope(scope);
    const given = this.args.string("channel")?.trim();
    if (given === undefined || given === "") throw new SlackApiError("channel_not_found");
    const channel = this.state.channel(given) ?? this.state.channelByName(given);
    if (!channel || !this.state.canSee(this.principal, channel)) throw new SlackApiError("channel_not_found");
    if (channel.isArchived) throw new SlackApiError("is_archived");
    if (!this.state.isMember(this.principal, channel)) throw new SlackApiError("not_in_channel");
    return channel;
  }
}
