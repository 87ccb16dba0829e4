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
  /**
   * WebClients for this credential's tokens, reused from request to request. Absent (a client built by hand,
   * in tests), every request builds its own.
   */
  readonly webClients?: SlackWebClients | undefined;
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

/** What one request hands the `fetch` of the WebClient it runs on. */
type RequestSlot = Pick<SlackTransportOptions, "signal" | "facts">;

/**
 * A WebClient for one request. The SDK takes no per-call AbortSignal and captures `fetch` when it is built, so
 * each request gets its own client whose `fetch` looks up `globalThis.fetch` at call time (MSW in tests),
 * carries the call's signal (deadline, cancellation) and records status, `x-slack-req-id` and `Retry-After`.
 * The SDK's own retries (ten over about 30 minutes) and its 429 queue pause are off: core retries, paces and
 * pauses the method's bucket instead.
 */
export function createWebClient(options: SlackTransportOptions): WebClient {
  return buildWebClient(options.apiUrl, options.token, () => options);
}

/** A WebClient whose `fetch` takes the signal and the facts to fill from `slot()` when a request starts. */
function buildWebClient(
  apiUrl: string,
  token: string | undefined,
  slot: () => RequestSlot | undefined,
): WebClient {
  const observe: FetchFunction = async (url, init) => {
    const request = slot();
    // A pooled client serves one request at a time (SlackWebClients.run); without one there is no signal.
    if (!request) throw new Error("Slack WebClient used outside a request");
    const response = await globalThis.fetch(url, { ...init, signal: request.signal });
    request.facts.status = response.status;
    const requestId = response.headers.get("x-slack-req-id");
    if (requestId) request.facts.requestId = requestId;
    const retryAfter = response.headers.get("retry-after");
    if (retryAfter) request.facts.retryAfter = retryAfter;
    return response;
  };
  return new WebClient(token, {
    slackApiUrl: apiUrl,
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

/** A reusable client and the request it currently serves, if any. */
class PooledWebClient {
  current: RequestSlot | undefined;
  readonly web: WebClient;

  constructor(apiUrl: string, token: string | undefined) {
    this.web = buildWebClient(apiUrl, token, () => this.current);
  }
}

/** Idle clients kept per token; more requests in flight than this build extra clients that are not kept. */
const MAX_IDLE_PER_TOKEN = 8;
/** Tokens with idle clients (the credential's own, the user token for search); the oldest is dropped first. */
const MAX_TOKENS = 4;

/**
 * WebClients reused across requests, for one credential (core builds a new SlackClient, and so a new pool, when
 * the credential changes: rotation and a refresh after `invalid_auth` never reuse a client of the old token).
 * Building a WebClient binds the SDK's few hundred method wrappers: about 0.13 ms and much garbage per request.
 * A client serves one request at a time: `run` takes an idle one (or builds one), points its `fetch` at this
 * request's signal and facts, and gives it back once the SDK has settled, so concurrent requests never share
 * a client and keep running in parallel.
 */
export class SlackWebClients {
  private readonly idle = new Map<string, PooledWebClient[]>();

  constructor(private readonly apiUrl: string) {}

  async run<Result>(
    token: string | undefined,
    request: RequestSlot,
    send: (web: WebClient) => Promise<Result>,
  ): Promise<Result> {
    const key = token ?? "";
    const pooled = this.idle.get(key)?.pop() ?? new PooledWebClient(this.apiUrl, token);
    pooled.current = request;
    try {
      return await send(pooled.web);
    } finally {
      pooled.current = undefined;
      this.release(key, pooled);
    }
  }

  private release(key: string, pooled: PooledWebClient): void {
    let list = this.idle.get(key);
    if (!list) {
      if (this.idle.size >= MAX_TOKENS) {
        const oldest = this.idle.keys().next().value;
        if (oldest !== undefined) this.idle.delete(oldest);
      }
      list = [];
      this.idle.set(key, list);
    }
    if (list.length < MAX_IDLE_PER_TOKEN) list.push(pooled);
  }
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
  const token = options.token ?? ctx.client.token;
  const send = (web: WebClient) => web.apiCall(method, args);
  let result: unknown;
  try {
    result = ctx.client.webClients
      ? await ctx.client.webClients.run(token, { signal: ctx.signal, facts }, send)
      : await send(createWebClient({ apiUrl: ctx.client.apiUrl, token, signal: ctx.signal, facts }));
  } catch (error) {
    ctx.recordRequestId(facts.requestId);
    const requestFacts: SlackRequestFacts = { method, ...facts };
    throw classifySlackError(error, requestFacts, ctx.client.errorOptions) ?? error;
  }
  ctx.recordRequestId(facts.requestId);
  return schema.parse(result);
}
