import type { FetchFunction, Logger } from "@slack/web-api";
import { LogLevel, WebClient } from "@slack/web-api";
import type { Credential, DiagnosisProblem, ToolContext } from "@switchyard/core";
import type { z } from "zod";
import type { SlackChannelAllowlist } from "./slack-allowlist.js";
import type { SlackChannelDirectory } from "./slack-channels.js";
import { classifySlackError, type SlackErrorMapperOptions, type SlackRequestFacts } from "./slack-error.js";
import type { SlackHistoryProfile, SlackTokenKind } from "./slack-settings.js";
import type { SlackUserDirectory } from "./slack-users.js";
import { VERSION } from "./version.js";

/** Where slack_search_messages gets its user token when the main credential is a bot token. */
export interface SlackUserTokenSource {
  get(signal: AbortSignal): Promise<Credential>;
  invalidate(credential: Credential): void;
}

export interface SlackWritePolicy {
  readonly allowBroadcastMentions: boolean;
  readonly unfurlLinks: boolean;
  readonly unfurlMedia: boolean;
}

/** What every Slack tool gets as `ctx.client`: the current credential's token plus the settings tools need. */
export interface SlackClient {
  /** Web API root with a trailing slash. */
  readonly apiUrl: string;
  /** The kind of the call's credential: search needs a user token. */
  readonly tokenKind: SlackTokenKind;
  readonly allowlist: SlackChannelAllowlist;
  /** Per-connector caches (names by id, ids by name), shared by every credential. */
  readonly users: SlackUserDirectory;
  readonly channels: SlackChannelDirectory;
  readonly writes: SlackWritePolicy;
  readonly historyProfile: SlackHistoryProfile;
  /** users.info lookups one call may make to resolve author names. */
  readonly userLookupsPerCall: number;
  /** A separate user token, when the main credential is a bot token and a user token is configured too. */
  readonly userTokenSource: SlackUserTokenSource | undefined;
  readonly errorOptions: SlackErrorMapperOptions;
  /** The connector's clock (core's `now` option), for budgets reported to the limiter. */
  readonly now: () => number;
  /** Configuration weaknesses doctor reports (a refresh token kept in memory only). */
  readonly setupProblems: readonly DiagnosisProblem[];
  /** The access token; goes only into the Authorization header. */
  readonly token: string | undefined;
}

export type SlackContext = ToolContext<SlackClient>;

/** The SDK logs failed requests and response warnings itself; failures are reported as ConnectorErrors instead. */
const noop = () => {};
export const quietLogger: Logger = {
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  setLevel: noop,
  getLevel: () => LogLevel.ERROR,
  setName: noop,
};

export interface SlackTransportOptions {
  readonly apiUrl: string;
  readonly token: string | undefined;
  readonly signal: AbortSignal;
  /** Filled with what the response said, whether the call then succeeds or fails. */
  readonly facts: { status?: number; requestId?: string; retryAfter?: string };
}

/**
 * A WebClient for one request. The SDK takes no per-call AbortSignal and captures `fetch` when it is built, so
 * each request gets its own client whose `fetch` looks up `globalThis.fetch` at call time (MSW in tests),
 * carries the call's signal (deadline, cancellation) and records status, `x-slack-req-id` and `Retry-After`.
 * The SDK's own retries (ten over about 30 minutes) and its 429 queue pause are off: core retries, paces and
 * pauses the method's bucket instead.
 */
export function createWebClient(options: SlackTransportOptions): WebClient {
  const observe: FetchFunction = async (url, init) => {
    const response = await globalThis.fetch(url, { ...init, signal: options.signal });
    options.facts.status = response.status;
    const requestId = response.headers.get("x-slack-req-id");
    if (requestId) options.facts.requestId = requestId;
    const retryAfter = response.headers.get("retry-after");
    if (retryAfter) options.facts.retryAfter = retryAfter;
    return response;
  };
  return new WebClient(options.token, {
    slackApiUrl: options.apiUrl,
    logger: quietLogger,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    // Method names only: an absolute URL in a method name must not take the token elsewhere.
    allowAbsoluteUrls: false,
    maxRequestConcurrency: 1,
    // A fresh object every time: the SDK writes the Authorization header into it.
    headers: { "User-Agent": `switchyard-slack/${VERSION}` },
    fetch: observe,
  });
}

export interface SlackRequestOptions {
  /** Sends this token instead of the call's credential (the user token for search). */
  readonly token?: string | undefined;
}

/**
 * Calls one Web API method with the call's token and signal, records Slack's request id (on success and on
 * error alike), classifies failures (`ok: false` bodies, 429s, transport errors) and validates the answer.
 */
export async function slackRequest<Schema extends z.ZodType>(
  ctx: SlackContext,
  method: string,
  args: Record<string, unknown>,
  schema: Schema,
  options: SlackRequestOptions = {},
): Promise<z.output<Schema>> {
  const facts: SlackTransportOptions["facts"] = {};
  const web = createWebClient({
    apiUrl: ctx.client.apiUrl,
    token: options.token ?? ctx.client.token,
    signal: ctx.signal,
    facts,
  });
  let result: unknown;
  try {
    result = await web.apiCall(method, args);
  } catch (error) {
    ctx.recordRequestId(facts.requestId);
    const requestFacts: SlackRequestFacts = { method, ...facts };
    throw classifySlackError(error, requestFacts, ctx.client.errorOptions) ?? error;
  }
  ctx.recordRequestId(facts.requestId);
  return schema.parse(result);
}
