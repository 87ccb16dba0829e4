import type { ConnectorError, ErrorMapper } from "@switchyard/core";
import {
  ConnectorError as ConnectorErrorClass,
  httpStatusError,
  networkError,
  parseEpochSecondsReset,
  parseRetryAfter,
} from "@switchyard/core";
import { errorBodySchema } from "./github-api.js";

/** What octokit's RequestError looks like; checked structurally, since several copies of octokit may be loaded. */
export interface GithubRequestErrorLike {
  readonly name: "HttpError";
  readonly status: number;
  readonly message: string;
  readonly response?: {
    readonly headers: Record<string, string | number | undefined>;
    readonly data?: unknown;
  };
}

export function isGithubRequestError(error: unknown): error is GithubRequestErrorLike {
  if (!error || typeof error !== "object") return false;
  const candidate = error as { name?: unknown; status?: unknown };
  return candidate.name === "HttpError" && typeof candidate.status === "number";
}

export interface GithubErrorMapperOptions {
  /** Wait after a secondary rate limit without retry-after. Default 60 s, as GitHub's docs ask. */
  readonly secondaryRateLimitWaitMs?: number | undefined;
  readonly now?: () => number;
}

const DEFAULT_SECONDARY_WAIT_MS = 60_000;
/** plugin-throttling's test, widened to the older "abuse detection" wording GHES still uses. */
const SECONDARY_LIMIT = /\bsecondary rate\b|abuse detection/i;

function header(headers: Record<string, string | number | undefined>, name: string): string | undefined {
  const value = headers[name];
  return value === undefined ? undefined : String(value);
}

/**
 * Classifies octokit's RequestError. GitHub's status codes are ambiguous in two ways the generic mapping gets
 * wrong: 403 is both "forbidden" and "rate limited", and 404 also means "private and invisible to you".
 * A request that got no answer is a `network` failure; anything else that is not octokit's (aborts, the
 * deadline) returns undefined so core classifies it.
 */
export function createGithubErrorMapper(options: GithubErrorMapperOptions = {}): ErrorMapper {
  const now = options.now ?? Date.now;
  const secondaryWaitMs = options.secondaryRateLimitWaitMs ?? DEFAULT_SECONDARY_WAIT_MS;

  return (error: unknown): ConnectorError | undefined => {
    if (!isGithubRequestError(error)) return undefined;
    const response = error.response;
    if (!response) {
      // octokit reports a failed fetch as status 500 with no response: a transport failure, not a 500.
      return transportError(error);
    }
    const { status } = error;
    const headers = response.headers ?? {};
    const parsedBody = errorBodySchema.safeParse(response.data);
    const body = parsedBody.success ? parsedBody.data : undefined;
    const message =
      body?.message ?? (typeof response.data === "string" ? response.data.slice(0, 300) : undefined);
    const requestId = header(headers, "x-github-request-id");
    const base = { status, message, requestId, cause: error };

    const remaining = header(headers, "x-ratelimit-remaining");
    const resetAt = parseEpochSecondsReset(header(headers, "x-ratelimit-reset"));
    const retryAfterHeader = parseRetryAfter(header(headers, "retry-after"), now());
    const untilReset = resetAt === undefined ? undefined : Math.max(0, resetAt - now());
    const isSecondary = message !== undefined && SECONDARY_LIMIT.test(message);
    const isPrimary = remaining === "0";

    if ((status === 403 || status === 429) && (isSecondary || isPrimary || status === 429)) {
      // GitHub's order: retry-after if given, else the reset time when the budget is spent, else one minute.
      const retryAfterMs = retryAfterHeader ?? (isPrimary ? untilReset : undefined) ?? secondaryWaitMs;
      const kind = isSecondary ? "secondary_rate_limit" : isPrimary ? "primary_rate_limit" : "rate_limit";
      return httpStatusError({
        ...base,
        code: "rate_limited",
        upstreamCode: kind,
        retryAfterMs,
        hint: isSecondary
          ? "GitHub's secondary rate limit (too many requests or writes in a short time) was hit; wait retryAfterMs, then make fewer, slower calls."
          : "GitHub's hourly request budget for this credential is spent; wait retryAfterMs before calling again.",
      });
    }

    switch (status) {
      case 401:
        return httpStatusError({
          ...base,
          hint: "GitHub rejected the credential (bad, expired or revoked token); ask the operator to renew it. Retrying will not help.",
        });
      case 403: {
        const permissions = header(headers, "x-accepted-github-permissions");
        const scopes = header(headers, "x-accepted-oauth-scopes");
        const needed = permissions
          ? `the GitHub App/fine-grained token permission ${permissions}`
          : scopes
            ? `the OAuth scope ${scopes}`
            : undefined;
        return httpStatusError({
          ...base,
          code: "permission_denied",
          hint: needed
            ? `The credential lacks ${needed}; ask the operator to grant it. Do not retry.`
            : "The credential may not do this here (missing permission, SSO not authorised, or a protected resource). Do not retry.",
          details: {
            ...(permissions ? { acceptedPermissions: permissions } : {}),
            ...(scopes ? { acceptedOAuthScopes: scopes } : {}),
          },
        });
      }
      case 404:
        return httpStatusError({
          ...base,
          hint: "Not found, or private and this credential has no access (GitHub answers 404 rather than 403 for those). Check owner, repo and number.",
        });
      case 409:
        return httpStatusError({
          ...base,
          hint: "GitHub refused because of the target's state (an empty repository, a merge conflict, a changed head). Read the current state first.",
        });
      case 410: {
        // 410 means either "deleted" or "this feature (issues, wiki) is turned off for the repository".
        const disabled = message !== undefined && /disabled/i.test(message);
        return httpStatusError({
          ...base,
          code: disabled ? "invalid_input" : "not_found",
          hint: disabled
            ? "The feature is disabled for this repository (for example issues); do not retry here."
            : "The resource was deleted or moved; do not retry.",
        });
      }
      case 422: {
        const fields = (body?.errors ?? []).map((entry) =>
          typeof entry === "string"
            ? { message: entry }
            : {
                ...(entry.resource ? { resource: entry.resource } : {}),
                ...(entry.field ? { field: entry.field } : {}),
                ...(entry.code ? { code: entry.code } : {}),
                ...(entry.message ? { message: entry.message } : {}),
              },
        );
        const summary = fields
          .map((field) => [field.field, field.code ?? field.message].filter(Boolean).join(" "))
          .filter((text) => text.length > 0)
          .join("; ");
        const firstCode = fields.find((field) => "code" in field) as { code?: string } | undefined;
        return httpStatusError({
          ...base,
          message: summary ? `${message ?? "Validation Failed"} (${summary})` : message,
          upstreamCode: firstCode?.code,
          hint: "GitHub refused the values named in details.fields; fix them and call again.",
          details: { fields },
        });
      }
      default:
        return httpStatusError({
          ...base,
          // 5xx may carry retry-after during maintenance; without it core's backoff applies.
          retryAfterMs: status >= 500 ? retryAfterHeader : undefined,
        });
    }
  };
}

/** The mapper with default options (60 s secondary wait, the system clock). */
export const mapGithubError: ErrorMapper = createGithubErrorMapper();

/**
 * octokit wraps fetch's TypeError in a RequestError, which core's networkError does not look through unless
 * the socket error carries a code; the failure is a transport one either way.
 */
function transportError(error: GithubRequestErrorLike): ConnectorError | undefined {
  const cause = (error as { cause?: unknown }).cause;
  // fetch rejects with the abort reason (core's deadline or cancellation error): core classifies those.
  if (ConnectorErrorClass.isInstance(cause)) return cause;
  if ((cause as { name?: unknown } | undefined)?.name === "AbortError") return undefined;
  return (
    networkError(error) ??
    networkError(cause) ??
    new ConnectorErrorClass({
      code: "network",
      message: "Network failure talking to GitHub.",
      cause: cause ?? error,
    })
  );
}
