import { http, type RequestHandler } from "msw";
import { createFaultHandler } from "../faults/fault-handler.js";
import { UpstreamFaults } from "../faults/upstream-faults.js";
import { normalizeBases, routeRegExp, underBasesRegExp } from "../routing/route-pattern.js";
import { AUTH_METHODS } from "./methods/slack-auth-methods.js";
import { CHAT_METHODS } from "./methods/slack-chat-methods.js";
import { CONVERSATION_METHODS } from "./methods/slack-conversation-methods.js";
import { SEARCH_METHODS } from "./methods/slack-search-methods.js";
import { USER_METHODS } from "./methods/slack-user-methods.js";
import { slackFaultFlavor } from "./slack-fault-flavor.js";
import { errorResponse, readArgs, requestToken, SlackApiError, slackJson } from "./slack-http.js";
import { SlackContext, type SlackMethod } from "./slack-method.js";
import type { SlackPrincipal } from "./slack-model.js";
import { SlackSandboxState, type SlackStateOptions } from "./slack-state.js";

/** Every Web API method the fake serves, by name. */
export const SLACK_METHODS: readonly SlackMethod[] = [
  ...AUTH_METHODS,
  ...CONVERSATION_METHODS,
  ...USER_METHODS,
  ...CHAT_METHODS,
  ...SEARCH_METHODS,
];

export interface SlackSandboxOptions extends SlackStateOptions {
  /**
   * Where the fake answers: roots below which `/api/<method>` lives, as absolute URLs (`https://slack.com`)
   * and/or paths on any origin (`/slack`). Default `https://slack.com`, so the Web API is at
   * `https://slack.com/api/`, the SDK's default `slackApiUrl`.
   */
  readonly baseUrl?: string | readonly string[];
  /** Use this state instead of a new one. */
  readonly state?: SlackSandboxState;
  /** Use this fault controller instead of a new one. */
  readonly faults?: UpstreamFaults;
}

export interface SlackSandbox {
  /** For `setupServer(...handlers)` or the loopback server: faults first, then the API, then a JSON 404. */
  readonly handlers: RequestHandler[];
  readonly state: SlackSandboxState;
  readonly faults: UpstreamFaults;
  readonly bases: readonly string[];
  /** Re-seeds the data, forgets rate-limit counts and rotated tokens, and clears faults. */
  reset(): void;
}

/** `x-slack-req-id` values, unique per handler set. */
function requestIds(): () => string {
  let counter = 0;
  return () => {
    counter += 1;
    return `5a4d${counter.toString(16).padStart(8, "0")}${((counter * 2_654_435_761) >>> 0).toString(16).padStart(8, "0")}`;
  };
}

async function answer(
  method: SlackMethod | undefined,
  methodName: string,
  request: Request,
  state: SlackSandboxState,
  headers: Record<string, string>,
): Promise<Response> {
  let principal: SlackPrincipal | undefined;
  let ctx: SlackContext | undefined;
  try {
    const args = await readArgs(request);
    if (!method) throw new SlackApiError("unknown_method", { req_method: methodName });
    principal = method.auth === "none" ? undefined : state.authenticate(requestToken(request, args));
    if (principal) {
      // Per channel (chat.postMessage): `#general`, `general` and its id share one budget.
      const given = args.string("channel")?.trim() ?? "";
      const channel = state.channel(given)?.id ?? state.channelByName(given)?.id ?? given;
      const retryAfter = state.rateLimits.take(method.name, method.rate, principal.token.token, channel);
      if (retryAfter !== undefined) {
        throw new SlackApiError(
          "ratelimited",
          {},
          { status: 429, headers: { "retry-after": String(retryAfter) } },
        );
      }
    }
    ctx = new SlackContext(request, args, state, principal);
    if (method.tokenKinds && principal && !method.tokenKinds.includes(principal.token.kind)) {
      throw new SlackApiError("not_allowed_token_type");
    }
    if (method.scopes && principal) ctx.requireScope(...method.scopes);
    const body = await method.handle(ctx);
    return slackJson({ ok: true, ...body }, { ...headers, ...scopeHeaders(principal, ctx) });
  } catch (error) {
    if (error instanceof SlackApiError) {
      return errorResponse(error, { ...headers, ...scopeHeaders(principal, ctx) });
    }
    throw error;
  }
}

/** `x-oauth-scopes` (the token's) and `x-accepted-oauth-scopes` (the method's), which the SDK copies into `response_metadata`. */
function scopeHeaders(
  principal: SlackPrincipal | undefined,
  ctx: SlackContext | undefined,
): Record<string, string> {
  if (!principal) return {};
  const headers: Record<string, string> = { "x-oauth-scopes": principal.token.scopes.join(",") };
  if (ctx && ctx.accepted.length > 0) headers["x-accepted-oauth-scopes"] = ctx.accepted.join(",");
  return headers;
}

/**
 * The fake Slack Web API as MSW handlers. The same array works in-process (`setupServer(...handlers)`, with
 * the SDK's default `https://slack.com/api/`) and over HTTP (`serveMswHandlers`, `startSandbox`, which mounts
 * it at `/slack`, so `slackApiUrl` is `http://127.0.0.1:PORT/slack/api/`).
 */
export function createSlackSandboxHandlers(options: SlackSandboxOptions = {}): SlackSandbox {
  const bases = normalizeBases(options.baseUrl ?? "https://slack.com");
  const state = options.state ?? new SlackSandboxState(options);
  const faults =
    options.faults ??
    new UpstreamFaults("slack", {
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      now: state.now,
    });
  const nextRequestId = requestIds();
  const methods = new Map(SLACK_METHODS.map((method) => [method.name, method]));
  const api = http.all(routeRegExp(bases, "/api/:method"), ({ request, params }) => {
    const name = typeof params.method === "string" ? params.method : "";
    return answer(methods.get(name), name, request, state, { "x-slack-req-id": nextRequestId() });
  });
  const notFound = http.all(underBasesRegExp(bases), () =>
    slackJson({ ok: false, error: "not_found" }, { "x-slack-req-id": nextRequestId() }, 404),
  );
  const handlers = [
    createFaultHandler({
      bases,
      faults,
      flavor: slackFaultFlavor(state.now, nextRequestId),
      handlers: () => [api, notFound],
    }),
    api,
    notFound,
  ];
  return {
    handlers,
    state,
    faults,
    bases,
    reset() {
      faults.clear();
      state.reset();
    },
  };
}
