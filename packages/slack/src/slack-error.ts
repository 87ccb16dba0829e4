import type { ErrorCode, ErrorMapper } from "@switchyard/core";
import { ConnectorError, httpStatusError, networkError, parseRetryAfter } from "@switchyard/core";
import { errorBodySchema } from "./slack-api.js";
import { SLACK_ENV } from "./slack-settings.js";

/**
 * Slack answers almost every failure with HTTP 200 and `{ ok: false, error: "<code>" }`; only rate limits are a
 * real 429. The SDK turns those into errors with string codes; this module turns them into core errors.
 */

/** What the transport saw of the failed request; the SDK's errors do not carry it. */
export interface SlackRequestFacts {
  readonly method?: string | undefined;
  readonly status?: number | undefined;
  readonly requestId?: string | undefined;
  readonly retryAfter?: string | undefined;
}

export interface SlackErrorMapperOptions {
  /** Wait assumed after a rate limit without a usable Retry-After. Default 30 s. */
  readonly defaultRetryAfterMs?: number | undefined;
  readonly now?: () => number;
}

const DEFAULT_RETRY_AFTER_MS = 30_000;

interface PlatformRule {
  readonly code: ErrorCode;
  readonly hint?: string;
  /** The failure may have left part of the operation applied (Slack's fatal_error says so). */
  readonly mayHaveApplied?: boolean;
}

const TOKEN_HINT = `Slack rejected the token; ask the operator to renew ${SLACK_ENV.botToken} / ${SLACK_ENV.userToken} (or fix token rotation). Retrying will not help.`;
const ROTATION_HINT = `The refresh token or the app's client id/secret was refused; ask the operator to check ${SLACK_ENV.refreshToken}, ${SLACK_ENV.clientId} and ${SLACK_ENV.clientSecret} (the app may need to be reinstalled). Retrying will not help.`;

/** `ok: false` codes and what they mean for a caller. Codes not listed are `invalid_input`. */
export const SLACK_ERROR_RULES: Readonly<Record<string, PlatformRule>> = {
  not_authed: { code: "unauthenticated", hint: TOKEN_HINT },
  invalid_auth: { code: "unauthenticated", hint: TOKEN_HINT },
  account_inactive: { code: "unauthenticated", hint: TOKEN_HINT },
  token_revoked: { code: "unauthenticated", hint: TOKEN_HINT },
  token_expired: {
    code: "unauthenticated",
    hint: `The access token expired. With token rotation configured it is renewed automatically; otherwise ask the operator to set ${SLACK_ENV.refreshToken}, ${SLACK_ENV.clientId} and ${SLACK_ENV.clientSecret} or a token that does not expire.`,
  },
  invalid_refresh_token: { code: "unauthenticated", hint: ROTATION_HINT },
  invalid_grant: { code: "unauthenticated", hint: ROTATION_HINT },
  invalid_grant_type: { code: "unauthenticated", hint: ROTATION_HINT },
  invalid_client_id: { code: "unauthenticated", hint: ROTATION_HINT },
  bad_client_secret: { code: "unauthenticated", hint: ROTATION_HINT },
  missing_scope: { code: "permission_denied" },
  not_in_channel: {
    code: "permission_denied",
    hint: "The app is not a member of this channel: someone in the channel must invite it (/invite @app-name). Do not retry before that.",
  },
  not_allowed_token_type: {
    code: "permission_denied",
    hint: "This method does not accept this kind of token (search needs a user token, some methods a bot token). Do not retry.",
  },
  no_permission: { code: "permission_denied" },
  access_denied: { code: "permission_denied" },
  restricted_action: {
    code: "permission_denied",
    hint: "A workspace preference forbids this action for the app (for example posting in #general). Do not retry.",
  },
  restricted_action_read_only_channel: { code: "permission_denied", hint: "The channel is read-only." },
  restricted_action_thread_only_channel: {
    code: "permission_denied",
    hint: "The channel only accepts replies in threads; use slack_reply_in_thread.",
  },
  restricted_action_non_threadable_channel: {
    code: "permission_denied",
    hint: "The channel does not accept thread replies; post to the channel instead.",
  },
  posting_to_general_channel_denied: { code: "permission_denied" },
  team_access_not_granted: { code: "permission_denied" },
  ekm_access_denied: { code: "permission_denied" },
  channel_not_found: {
    code: "not_found",
    hint: "No such channel for this token: check the id or name; private channels are visible only to members. slack_list_channels lists them.",
  },
  user_not_found: {
    code: "not_found",
    hint: "No such user: check the id (U...) or use slack_find_user_by_email.",
  },
  users_not_found: {
    code: "not_found",
    hint: "No user has this email address, or it is hidden from this token.",
  },
  thread_not_found: { code: "not_found", hint: "No thread starts at this timestamp in this channel." },
  message_not_found: { code: "not_found", hint: "No message has this timestamp in this channel." },
  is_archived: { code: "conflict", hint: "The channel is archived; nothing can be posted there." },
  channel_is_archived: { code: "conflict", hint: "The channel is archived; nothing can be posted there." },
  too_many_reactions: { code: "conflict", hint: "The message has the most reactions Slack allows." },
  ratelimited: { code: "rate_limited" },
  rate_limited: { code: "rate_limited" },
  invalid_arguments: { code: "invalid_input" },
  msg_too_long: { code: "invalid_input", hint: "The text is too long for Slack; shorten it and call again." },
  no_text: { code: "invalid_input" },
  invalid_cursor: {
    code: "invalid_input",
    hint: "Slack no longer accepts this cursor; start the list again without cursor.",
  },
  invalid_ts_latest: { code: "invalid_input" },
  invalid_ts_oldest: { code: "invalid_input" },
  invalid_name: { code: "invalid_input", hint: "Not an emoji name this workspace knows." },
  invalid_email: { code: "invalid_input" },
  internal_error: { code: "upstream_unavailable", mayHaveApplied: true },
  fatal_error: { code: "upstream_unavailable", mayHaveApplied: true },
  service_unavailable: { code: "upstream_unavailable" },
  request_timeout: { code: "upstream_unavailable", mayHaveApplied: true },
};

/** The SDK's errors, recognised by their string codes: several copies of the SDK may be loaded. */
interface SlackSdkError {
  readonly code: string;
  readonly message: string;
  readonly data?: unknown;
  readonly statusCode?: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  readonly retryAfter?: number;
  readonly original?: unknown;
}

function asSdkError(error: unknown): SlackSdkError | undefined {
  if (!error || typeof error !== "object") return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && code.startsWith("slack_webapi_") ? (error as SlackSdkError) : undefined;
}

/**
 * Classifies anything a Slack request threw, with what the transport saw (status, request id, Retry-After).
 * Returns undefined for errors that are not Slack's (aborts and deadlines: core classifies those).
 */
export function classifySlackError(
  error: unknown,
  facts: SlackRequestFacts = {},
  options: SlackErrorMapperOptions = {},
): ConnectorError | undefined {
  if (ConnectorError.isInstance(error)) return error;
  const now = options.now ?? Date.now;
  const fallbackWaitMs = options.defaultRetryAfterMs ?? DEFAULT_RETRY_AFTER_MS;
  const retryAfterMs = () => parseRetryAfter(facts.retryAfter, now()) ?? fallbackWaitMs;
  const sdk = asSdkError(error);

  if (sdk?.code === "slack_webapi_platform_error") {
    const body = errorBodySchema.safeParse(sdk.data);
    if (body.success) return platformError(body.data, facts, retryAfterMs);
  }
  if (sdk?.code === "slack_webapi_rate_limited_error" || facts.status === 429) {
    // The SDK reads Retry-After with parseInt only; the header itself (also an HTTP date) is read here.
    const seconds = typeof sdk?.retryAfter === "number" ? sdk.retryAfter * 1000 : undefined;
    return rateLimited(facts, parseRetryAfter(facts.retryAfter, now()) ?? seconds ?? fallbackWaitMs, error);
  }
  if (sdk?.code === "slack_webapi_http_error" && typeof sdk.statusCode === "number") {
    const headers = sdk.headers ?? {};
    const body = errorBodySchema.safeParse(sdk.body);
    return httpStatusError({
      status: sdk.statusCode,
      message: body.success
        ? body.data.error
        : typeof sdk.body === "string"
          ? sdk.body.slice(0, 300)
          : undefined,
      upstreamCode: body.success ? body.data.error : undefined,
      requestId: facts.requestId ?? headers["x-slack-req-id"],
      retryAfterMs: sdk.statusCode >= 500 ? parseRetryAfter(headers["retry-after"], now()) : undefined,
      cause: error,
    });
  }
  if (sdk?.code === "slack_webapi_request_error") {
    const original = sdk.original;
    // fetch rejects with the abort reason: core's deadline or cancellation error, or an AbortError.
    if (ConnectorError.isInstance(original)) return original;
    if ((original as { name?: unknown } | undefined)?.name === "AbortError") return undefined;
    return (
      networkError(error) ??
      new ConnectorError({
        code: "network",
        message: "Network failure talking to Slack.",
        cause: original ?? error,
        upstream: { requestId: facts.requestId },
      })
    );
  }
  return undefined;
}

function rateLimited(facts: SlackRequestFacts, waitMs: number, cause: unknown): ConnectorError {
  return new ConnectorError({
    code: "rate_limited",
    message: `Slack rate-limited ${facts.method ?? "the request"}; retry after ${Math.ceil(waitMs / 1000)} s.`,
    hint: "Slack's per-method limit for this app and workspace is spent; wait retryAfterMs before calling again.",
    retryAfterMs: waitMs,
    notApplied: true,
    upstream: { status: facts.status, code: "ratelimited", requestId: facts.requestId },
    cause,
  });
}

function platformError(
  body: {
    error: string;
    needed?: string | undefined;
    provided?: string | undefined;
    response_metadata?: { messages?: string[] | undefined } | undefined;
  },
  facts: SlackRequestFacts,
  retryAfterMs: () => number,
): ConnectorError {
  const slackCode = body.error;
  // The SDK reports a body that is not JSON as ok:false with the raw text as the "error".
  if (!/^[a-z0-9_.]{1,100}$/.test(slackCode)) {
    return new ConnectorError({
      code: "invalid_response",
      message: `Slack's answer to ${facts.method ?? "the request"} is not JSON.`,
      upstream: { status: facts.status, requestId: facts.requestId },
    });
  }
  if (slackCode === "ratelimited" || slackCode === "rate_limited") {
    return rateLimited(facts, retryAfterMs(), body);
  }
  const rule = SLACK_ERROR_RULES[slackCode] ?? { code: "invalid_input" as const };
  const method = facts.method ?? "the method";
  // Slack explains invalid_arguments in response_metadata.messages ("[ERROR] missing required field: channel").
  const explanations = (body.response_metadata?.messages ?? [])
    .map((message) => message.replace(/^\[(ERROR|WARN)\]\s*/, "").trim())
    .filter((message) => message.length > 0)
    .slice(0, 3)
    .map((message) => message.slice(0, 200));
  const detail = explanations.length > 0 ? ` (${explanations.join("; ")})` : "";
  let message = `Slack answered ${slackCode} to ${method}${detail}.`;
  let hint = rule.hint;
  const details: Record<string, unknown> = { slackError: slackCode };
  if (slackCode === "missing_scope") {
    const scopes = (body.needed ?? "")
      .split(",")
      .map((scope) => scope.trim())
      .filter(Boolean);
    // Slack lists alternatives when several scopes would do (channels:history,groups:history,...).
    const needed =
      scopes.length === 0
        ? "a scope Slack did not name"
        : scopes.length === 1
          ? `the scope ${scopes[0]}`
          : `one of the scopes ${scopes.join(", ")}`;
    message = `Slack answered missing_scope to ${method}: the token lacks ${needed}.`;
    hint = `Ask the operator to add ${needed} to the Slack app and reinstall it. Do not retry.`;
    details.needed = body.needed;
    if (body.provided !== undefined) details.provided = body.provided;
  }
  if (explanations.length > 0) details.messages = explanations;
  if (!SLACK_ERROR_RULES[slackCode]) {
    hint = `Slack refused the call with ${slackCode}; see https://docs.slack.dev/reference/methods/${facts.method ?? ""} for what it means. Do not retry unchanged.`;
  }
  return new ConnectorError({
    code: rule.code,
    message,
    ...(hint ? { hint } : {}),
    // An ok:false answer is a refusal: nothing was done, except where Slack says it may have been.
    notApplied: !rule.mayHaveApplied,
    upstream: { status: facts.status ?? 200, code: slackCode, requestId: facts.requestId },
    details,
  });
}

/** The error mapper core runs for failures outside `slackRequest` (the probe, token refresh). */
export function createSlackErrorMapper(options: SlackErrorMapperOptions = {}): ErrorMapper {
  return (error) => classifySlackError(error, {}, options);
}

export const mapSlackError: ErrorMapper = createSlackErrorMapper();
