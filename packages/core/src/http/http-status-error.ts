import { ConnectorError } from "../errors/connector-error.js";
import type { ErrorCode } from "../errors/error-codes.js";

export interface HttpStatusErrorInput {
  readonly status: number;
  /** The upstream's message, already extracted from its error body. */
  readonly message?: string | undefined;
  readonly upstreamCode?: string | undefined;
  readonly requestId?: string | undefined;
  readonly retryAfterMs?: number | undefined;
  readonly hint?: string | undefined;
  readonly details?: Readonly<Record<string, unknown>> | undefined;
  readonly cause?: unknown;
  /** Overrides the code the status would give (a connector that knows better, e.g. GitHub's 403 rate limit). */
  readonly code?: ErrorCode | undefined;
}

/** The default status -> code mapping; connectors override single statuses where the upstream differs. */
export function codeForHttpStatus(status: number): ErrorCode {
  if (status === 400 || status === 422) return "invalid_input";
  if (status === 401) return "unauthenticated";
  if (status === 403) return "permission_denied";
  if (status === 404 || status === 410) return "not_found";
  if (status === 409 || status === 412) return "conflict";
  if (status === 408) return "timeout";
  if (status === 429) return "rate_limited";
  if (status >= 500) return "upstream_unavailable";
  if (status >= 400) return "invalid_input";
  return "invalid_response";
}

/** Statuses that prove the upstream refused the request before acting on it. */
const NOT_APPLIED_STATUSES = new Set([401, 429]);

const HTML_PAGE = /<!doctype html|<html[\s>]|<head[\s>]|<body[\s>]/i;
const MAX_UPSTREAM_MESSAGE = 500;

/**
 * The upstream's message as it may appear in an error: an HTML page (a proxy's or load balancer's error page)
 * is described instead of quoted, and anything else is capped, so a model reads a sentence, not a web page.
 */
export function cleanUpstreamMessage(message: string | undefined): string | undefined {
  const trimmed = message?.trim();
  if (!trimmed) return undefined;
  if (HTML_PAGE.test(trimmed))
    return "the upstream (or a proxy in front of it) answered with an HTML error page";
  return trimmed.length > MAX_UPSTREAM_MESSAGE ? `${trimmed.slice(0, MAX_UPSTREAM_MESSAGE)}…` : trimmed;
}

/** Builds the ConnectorError for an HTTP error status. */
export function httpStatusError(input: HttpStatusErrorInput): ConnectorError {
  const code = input.code ?? codeForHttpStatus(input.status);
  const upstreamMessage = cleanUpstreamMessage(input.message);
  return new ConnectorError({
    code,
    message: upstreamMessage
      ? `Upstream answered HTTP ${input.status}: ${upstreamMessage}`
      : `Upstream answered HTTP ${input.status}.`,
    ...(input.hint ? { hint: input.hint } : {}),
    retryAfterMs: input.retryAfterMs,
    notApplied: NOT_APPLIED_STATUSES.has(input.status) || code === "rate_limited",
    upstream: { status: input.status, code: input.upstreamCode, requestId: input.requestId },
    ...(input.details ? { details: input.details } : {}),
    ...(input.cause === undefined ? {} : { cause: input.cause }),
  });
}
