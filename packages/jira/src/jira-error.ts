import type { ConnectorError, ErrorMapper } from "@switchyard/core";
import { ConnectorError as ConnectorErrorClass, httpStatusError, networkError } from "@switchyard/core";
import { errorCollectionSchema } from "./jira-api.js";
import { type HeaderMap, readRateLimit } from "./jira-rate-limits.js";

const HTTP_ERROR = Symbol.for("switchyard.jira.JiraHttpError");

/**
 * A Jira answer outside 2xx, reduced to what the mapper needs. Built from axios's error without keeping it:
 * that error holds the request config, and with it the Authorization header.
 */
export class JiraHttpError extends Error {
  override readonly name = "JiraHttpError";
  readonly status: number;
  readonly method: string;
  /** The request path, without the query (which may hold JQL). */
  readonly path: string;
  readonly headers: HeaderMap;
  readonly body: unknown;

  constructor(input: { status: number; method: string; path: string; headers: HeaderMap; body: unknown }) {
    super(`Jira answered HTTP ${input.status} to ${input.method} ${input.path}`);
    Object.defineProperty(this, HTTP_ERROR, { value: true });
    this.status = input.status;
    this.method = input.method;
    this.path = input.path;
    this.headers = input.headers;
    this.body = input.body;
  }
}

export function isJiraHttpError(error: unknown): error is JiraHttpError {
  return (
    typeof error === "object" && error !== null && (error as { [HTTP_ERROR]?: unknown })[HTTP_ERROR] === true
  );
}

/** No answer came back: only the socket error code is kept (ECONNREFUSED, ETIMEDOUT, ...). */
export class JiraTransportError extends Error {
  override readonly name = "JiraTransportError";
  readonly code: string | undefined;

  constructor(code: string | undefined, method: string, path: string) {
    super(`No answer from Jira to ${method} ${path}${code ? ` (${code})` : ""}`);
    this.code = code;
  }
}

export interface JiraErrorMapperOptions {
  readonly now?: (() => number) | undefined;
}

const MAX_MESSAGE = 600;

/** Jira's `errorMessages` and `errors` (field -> message), or the gateway's `message`. */
export function describeErrorBody(body: unknown): {
  message: string | undefined;
  errorMessages: string[];
  fields: { field: string; message: string }[];
} {
  const parsed = errorCollectionSchema.safeParse(body);
  if (!parsed.success) {
    const text = typeof body === "string" && !/^\s*</.test(body) ? body.trim().slice(0, 300) : undefined;
    return { message: text || undefined, errorMessages: [], fields: [] };
  }
  const errorMessages = (parsed.data.errorMessages ?? []).filter((entry) => entry.trim() !== "");
  const fields = Object.entries(parsed.data.errors ?? {}).map(([field, message]) => ({
    field,
    message: typeof message === "string" ? message : JSON.stringify(message),
  }));
  const parts = [
    ...errorMessages,
    ...fields.map((entry) => `${entry.field}: ${entry.message}`),
    ...(parsed.data.message ? [parsed.data.message] : []),
  ];
  const message = parts.join("; ").slice(0, MAX_MESSAGE) || undefined;
  return { message, errorMessages, fields };
}

/**
 * Classifies Jira's answers: 400 `invalid_input` with the field errors in details, 401 `unauthenticated`,
 * 403 `permission_denied`, 404 `not_found`, 409 `conflict`, 410 `invalid_input` naming the removed
 * endpoint, 429 `rate_limited` with `RateLimit-Reason` as the upstream code, 5xx `upstream_unavailable`.
 * Transport failures become `network`; anything not Jira's returns undefined so core classifies it.
 */
export function createJiraErrorMapper(options: JiraErrorMapperOptions = {}): ErrorMapper {
  const now = options.now ?? Date.now;
  return (error: unknown): ConnectorError | undefined => {
    if (error instanceof JiraTransportError) {
      return (
        networkError(error) ??
        new ConnectorErrorClass({ code: "network", message: `${error.message}.`, cause: error })
      );
    }
    if (!isJiraHttpError(error)) return undefined;
    const { status } = error;
    const { message, errorMessages, fields } = describeErrorBody(error.body);
    const requestId = error.headers["x-arequestid"];
    const base = { status, message, requestId, cause: error };
    const rate = readRateLimit(error.headers, now());

    if (status === 429) {
      const retryAfterMs =
        rate.retryAfterMs ??
        (rate.scope === "credential" && rate.resetAt !== undefined
          ? Math.max(0, rate.resetAt - now())
          : undefined);
      return httpStatusError({
        ...base,
        upstreamCode: rate.reason ?? "rate_limited",
        retryAfterMs,
        hint:
          rate.scope === "credential"
            ? "Jira's hourly quota for this app or site is spent: every call is refused until it resets. Wait retryAfterMs before calling again."
            : rate.scope === "issue"
              ? "Too many changes to this one issue in a short time; wait retryAfterMs before changing it again (other issues are not affected)."
              : "Jira's burst limit for this endpoint was hit; wait retryAfterMs, then make fewer, slower calls.",
        details: {
          ...(rate.reason ? { reason: rate.reason } : {}),
          scope: rate.scope,
          ...(rate.resetAt === undefined ? {} : { resetAt: new Date(rate.resetAt).toISOString() }),
        },
      });
    }
    if (status >= 300 && status < 400) {
      return httpStatusError({
        ...base,
        code: "invalid_response",
        message: `Jira redirected ${error.method} ${error.path} (HTTP ${status}); redirects are not followed.`,
        hint: "Check JIRA_BASE_URL: it must be the site itself (https://<site>.atlassian.net), without a path.",
      });
    }
    switch (status) {
      case 400:
        return httpStatusError({
          ...base,
          message: message ?? "Bad request",
          hint: "Jira refused the values named in the message (details.fields for fields, details.errorMessages for the rest); fix them and call again.",
          details: { fields, errorMessages },
        });
      case 401: {
        const scopeProblem = message !== undefined && /scope does not match/i.test(message);
        return httpStatusError({
          ...base,
          ...(scopeProblem ? { code: "permission_denied" as const } : {}),
          hint: scopeProblem
            ? "The OAuth token lacks a scope this call needs (for example read:jira-work or write:jira-work); ask the operator to add it to the app and re-authorize."
            : "Jira rejected the credential (a wrong email or API token, an expired token, or a revoked OAuth grant); ask the operator to renew it. Retrying will not help.",
        });
      }
      case 403:
        return httpStatusError({
          ...base,
          hint: "The account may not do this here (project permission, issue security, or a missing OAuth scope). Do not retry.",
        });
      case 404:
        return httpStatusError({
          ...base,
          hint: "Not found, or not visible to this account (Jira answers 404 for both). Check the key; search or list projects to find the right one.",
        });
      case 409:
        return httpStatusError({
          ...base,
          hint: "Jira refused because of the issue's current state (for example a concurrent transition). Read the issue again, then decide.",
        });
      case 410:
        return httpStatusError({
          ...base,
          code: "invalid_input",
          message: `Jira has removed ${error.method} ${error.path}${message ? `: ${message}` : "."}`,
          hint: "This endpoint no longer exists in Jira Cloud (issue search moved to /rest/api/3/search/jql). Do not retry; report it to the operator.",
          details: { removedEndpoint: `${error.method} ${error.path}` },
        });
      default:
        return httpStatusError({
          ...base,
          // 503 may carry Retry-After during an overload or maintenance; without it core's backoff applies.
          retryAfterMs: status >= 500 ? rate.retryAfterMs : undefined,
        });
    }
  };
}

/** The mapper with the system clock. */
export const mapJiraError: ErrorMapper = createJiraErrorMapper();
